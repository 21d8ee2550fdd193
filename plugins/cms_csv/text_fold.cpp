#include "text_fold.h"

#include <cctype>

namespace cms {

std::string fold(std::string_view text) {
  std::string out;
  bool space = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    std::string_view rest = text.substr(i);
    char mapped = 0;
    std::size_t width = 1;
    if (rest.rfind("\xC2\xA0", 0) == 0) mapped = ' ', width = 2;                       // no-break space
    else if (rest.rfind("\xE2\x80\x93", 0) == 0 || rest.rfind("\xE2\x80\x94", 0) == 0 ||
             rest.rfind("\xE2\x88\x92", 0) == 0 || rest.rfind("\xE2\x80\x90", 0) == 0) mapped = '-', width = 3;
    else if (rest.rfind("\xE2\x80\x98", 0) == 0 || rest.rfind("\xE2\x80\x99", 0) == 0) mapped = '\'', width = 3;
    else if (rest.rfind("\xE2\x80\x9C", 0) == 0 || rest.rfind("\xE2\x80\x9D", 0) == 0) mapped = '"', width = 3;
    else if (std::isspace(c)) mapped = ' ';
    else mapped = static_cast<char>(std::tolower(c));
    i += width - 1;
    if (mapped == ' ') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += mapped;
  }
  return out;
}

std::optional<std::regex> pattern_of(const std::string& key) {
  if (key.size() < 3 || key.front() != '/' || key.back() != '/') return std::nullopt;
  return std::regex(key.substr(1, key.size() - 2), std::regex::ECMAScript | std::regex::icase);
}

}  // namespace cms
