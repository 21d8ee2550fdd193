#include "link/normalise.h"

#include <Poco/TextIterator.h>
#include <Poco/UTF8Encoding.h>

#include <cctype>

namespace sendhub {
namespace {

// Latin-1 Supplement and Latin Extended-A letters -> their base letters.
char base_letter(int cp) {
  static const char* kLatin1 =  // U+00C0 .. U+00FF
      "aaaaaaaceeeeiiiidnooooo*ouuuuyts"
      "aaaaaaaceeeeiiiidnooooo/ouuuuyty";
  static const char* kExtendedA =  // U+0100 .. U+017F, 16 a row
      "aaaaaaccccccccdd"
      "ddeeeeeeeeeegggg"
      "gggghhhhiiiiiiii"
      "iiiijjkkklllllll"
      "lllnnnnnnnnnoooo"
      "oooorrrrrrssssss"
      "ssttttttuuuuuuuu"
      "uuuuwwyyyzzzzzzs";
  if (cp >= 0xC0 && cp <= 0xFF) return kLatin1[cp - 0xC0];
  if (cp >= 0x100 && cp <= 0x17F) return kExtendedA[cp - 0x100];
  return 0;
}

}  // namespace

std::string fold_name(std::string_view utf8) {
  Poco::UTF8Encoding encoding;
  const std::string text(utf8);
  std::string out;
  for (Poco::TextIterator it(text, encoding), end(text); it != end; ++it) {
    const int cp = *it;
    if (cp < 0x80) {
      if (std::isalnum(cp)) out += static_cast<char>(std::tolower(cp));
      continue;  // spaces, hyphens, apostrophes, full stops
    }
    if (cp == 0x2019 || cp == 0x2018 || cp == 0x2010 || cp == 0x2013) continue;  // curly quotes, dashes
    if (char b = base_letter(cp); b && b != '*' && b != '/') {
      out += b;
      if (cp == 0xDF) out += 's';  // sharp s
      if (cp == 0xC6 || cp == 0xE6) out += 'e';  // ae
      continue;
    }
    // Any other letter is kept as it was written.
    char buf[4];
    int n = encoding.convert(cp, reinterpret_cast<unsigned char*>(buf), 4);
    out.append(buf, static_cast<std::size_t>(n));
  }
  return out;
}

std::string fold_identifier(std::string_view value) {
  std::string out;
  for (unsigned char c : value)
    if (!std::isspace(c)) out += static_cast<char>(std::toupper(c));
  return out;
}

}  // namespace sendhub
