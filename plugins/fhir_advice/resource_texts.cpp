#include "resource_texts.h"

#include <algorithm>
#include <optional>

namespace fhir {
namespace {

// A scan of text a JSON parser has already accepted: it finds values' ends, it does not check
// them. Iterative, so no page nests deep enough to exhaust the stack.
class Scan {
 public:
  explicit Scan(std::string_view s) : s_(s) {}

  // Consumes `c` after any white space.
  bool eat(char c) {
    space();
    if (i_ >= s_.size() || s_[i_] != c) return false;
    ++i_;
    return true;
  }

  // A member's key: its text between the quotes, nothing if it holds an escape (it may then
  // spell "entry" in a way a byte compare would miss).
  std::optional<std::string_view> key() {
    space();
    const std::size_t start = i_ + 1;
    if (i_ >= s_.size() || s_[i_] != '"' || !skip_string()) return std::nullopt;
    const std::string_view text = s_.substr(start, i_ - 1 - start);
    if (text.find('\\') != std::string_view::npos) return std::nullopt;
    return text;
  }

  // Skips one value of any kind; its text, nothing if the text ends first.
  std::optional<std::string_view> value() {
    space();
    const std::size_t start = i_;
    if (i_ >= s_.size()) return std::nullopt;
    if (s_[i_] == '"') {
      if (!skip_string()) return std::nullopt;
    } else if (s_[i_] == '{' || s_[i_] == '[') {
      if (!skip_nested()) return std::nullopt;
    } else {
      i_ = std::min(s_.find_first_of(",}] \t\r\n", i_), s_.size());   // a number, true, false or null
    }
    return s_.substr(start, i_ - start);
  }

  // After a member or element: true at a comma (another follows), false at `close`.
  std::optional<bool> more(char close) {
    if (eat(',')) return true;
    if (eat(close)) return false;
    return std::nullopt;
  }

 private:
  void space() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\n' || s_[i_] == '\r')) ++i_;
  }

  // From an opening quote to just past its closing one.
  bool skip_string() {
    for (++i_;; i_ += 2) {   // past an escape's backslash and the character it escapes
      i_ = s_.find_first_of("\"\\", i_);
      if (i_ == std::string_view::npos) {
        i_ = s_.size();
        return false;
      }
      if (s_[i_] == '"') break;
    }
    ++i_;
    return true;
  }

  // From an opening bracket to just past the one that closes it.
  bool skip_nested() {
    std::size_t depth = 0;
    while (i_ < s_.size()) {
      const char c = s_[i_];
      if (c == '"') {
        if (!skip_string()) return false;
        continue;
      }
      ++i_;
      if (c == '{' || c == '[') ++depth;
      else if ((c == '}' || c == ']') && --depth == 0) return true;
    }
    return false;
  }

  std::string_view s_;
  std::size_t i_ = 0;
};

// The members of the object the scan is at, each handed to `member` (which consumes its value);
// false if the text is not an object's.
template <typename Member>
bool members(Scan& scan, Member&& member) {
  if (!scan.eat('{')) return false;
  if (scan.eat('}')) return true;
  for (;;) {
    const auto k = scan.key();
    if (!k || !scan.eat(':') || !member(*k)) return false;
    const auto again = scan.more('}');
    if (!again) return false;
    if (!*again) return true;
  }
}

// One element of the entry array: its resource's text, empty if it has none or is no object.
std::optional<std::string_view> element(Scan& scan) {
  Scan probe = scan;
  if (!probe.eat('{')) {
    if (!scan.value()) return std::nullopt;
    return std::string_view{};
  }
  std::string_view resource;
  bool named = false;
  const bool ok = members(scan, [&](std::string_view k) {
    const auto v = scan.value();
    if (!v || (k == "resource" && named)) return false;
    if (k == "resource") {
      named = true;
      if (!v->empty() && v->front() == '{') resource = *v;
    }
    return true;
  });
  if (!ok) return std::nullopt;
  return resource;
}

// The entry array's elements' resources; false if the text does not scan.
bool entries(Scan& scan, std::vector<std::string_view>& out) {
  if (!scan.eat('[')) return false;
  if (scan.eat(']')) return true;
  for (;;) {
    const auto resource = element(scan);
    if (!resource) return false;
    out.push_back(*resource);
    const auto again = scan.more(']');
    if (!again) return false;
    if (!*again) return true;
  }
}

}  // namespace

std::vector<std::string_view> resource_texts(std::string_view page) {
  std::vector<std::string_view> out;
  Scan scan(page);
  bool found = false;
  const bool ok = members(scan, [&](std::string_view k) {
    if (k != "entry") return scan.value().has_value();
    if (found) return false;   // twice: which one a parser keeps is its own choice
    found = true;
    return entries(scan, out);
  });
  if (!ok || !found) out.clear();
  return out;
}

}  // namespace fhir
