#include "text_encoding.h"

#include "sendhub/error.h"

#include <Poco/TextConverter.h>
#include <Poco/UTF16Encoding.h>
#include <Poco/UTF8Encoding.h>
#include <Poco/Windows1252Encoding.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace cms {
namespace {

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

}  // namespace

// Strict UTF-8: no overlongs, no surrogates, nothing above U+10FFFF. Runs of ASCII are
// checked eight bytes at a time: a national export is almost all ASCII.
std::size_t utf8_open_tail(std::string_view s) {
  static constexpr std::uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
  const std::size_t n = s.size();
  std::size_t i = 0;
  while (i < n) {
    std::uint64_t eight = 0;
    while (i + 8 <= n && (std::memcpy(&eight, s.data() + i, 8), (eight & 0x8080808080808080ULL) == 0)) i += 8;
    if (i >= n) break;
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len;
    std::uint32_t cp;
    if ((c & 0xE0) == 0xC0) len = 2, cp = c & 0x1F;
    else if ((c & 0xF0) == 0xE0) len = 3, cp = c & 0x0F;
    else if ((c & 0xF8) == 0xF0) len = 4, cp = c & 0x07;
    else return kInvalidUtf8;
    const std::size_t have = std::min(len, n - i);
    for (std::size_t k = 1; k < have; ++k) {
      const auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return kInvalidUtf8;
      cp = (cp << 6) | (cc & 0x3F);
    }
    if (have < len) return n - i;   // the rest of it is to come
    if (cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return kInvalidUtf8;
    i += len;
  }
  return 0;
}

std::string read_bytes(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw sendhub::Error(sendhub::Where{file, 0, ""}, "", "input.read", "cannot read the input file");
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::string read_head(const std::string& file, std::size_t limit, bool& whole) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw sendhub::Error(sendhub::Where{file, 0, ""}, "", "input.read", "cannot read the input file");
  std::string head(limit + 1, '\0');   // one more byte tells whether anything is left
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<std::size_t>(in.gcount()));
  whole = head.size() <= limit;
  if (!whole) head.resize(limit);
  return head;
}

// decode()'s order: a profile's windows-1252 first, then a UTF-8 byte-order mark, then (auto) a
// UTF-16 one, then strict UTF-8 for the whole text, else (auto) Windows-1252.
Reading reading_of(std::string_view head, const std::string& encoding) {
  if (encoding == "windows-1252") return {Form::cp1252, 0, false, nullptr};
  if (starts_with(head, "\xEF\xBB\xBF")) return {Form::utf8, 3, true, "the file has a UTF-8 byte-order mark but is not valid UTF-8"};
  if (encoding == "auto" && starts_with(head, "\xFF\xFE")) return {Form::utf16le, 2, false, nullptr};
  if (encoding == "auto" && starts_with(head, "\xFE\xFF")) return {Form::utf16be, 2, false, nullptr};
  return {Form::utf8, 0, true, encoding == "utf-8" ? "the file is not valid UTF-8 (the profile says utf-8)" : nullptr};
}

const char* name_of(Form form) {
  switch (form) {
    case Form::utf8: return "utf-8";
    case Form::utf16le: return "utf-16le";
    case Form::utf16be: return "utf-16be";
    case Form::cp1252: break;
  }
  return "windows-1252";
}

void append_utf8(Form form, std::string_view bytes, std::string& out) {
  if (form == Form::utf8) {
    out.append(bytes);
    return;
  }
  Poco::UTF8Encoding utf8;
  const int n = static_cast<int>(bytes.size());
  if (form == Form::cp1252) {
    Poco::Windows1252Encoding cp1252;
    Poco::TextConverter(cp1252, utf8).convert(bytes.data(), n, out);
    return;
  }
  Poco::UTF16Encoding utf16(form == Form::utf16le ? Poco::UTF16Encoding::LITTLE_ENDIAN_BYTE_ORDER
                                                  : Poco::UTF16Encoding::BIG_ENDIAN_BYTE_ORDER);
  Poco::TextConverter(utf16, utf8).convert(bytes.data(), n, out);
}

Decoded decode(const std::string& bytes, const std::string& encoding) {
  Reading r = reading_of(bytes, encoding);
  const std::string_view text = std::string_view(bytes).substr(r.skip);
  if (r.check_utf8 && utf8_open_tail(text) != 0) {
    if (r.invalid) throw std::runtime_error(r.invalid);
    r.form = Form::cp1252;   // only without a byte-order mark: the whole text
  }
  Decoded out{"", name_of(r.form)};
  append_utf8(r.form, text, out.text);
  return out;
}

std::size_t after_last_line_break(std::string_view head, const std::string& encoding) {
  const Form form = reading_of(head, encoding).form;   // as decode() will read it
  const bool le = form == Form::utf16le, be = form == Form::utf16be;
  if (!le && !be) return head.find_last_of('\n') + 1;   // npos + 1: 0
  for (std::size_t end = head.size() & ~std::size_t{1}; end >= 4; end -= 2)
    if (head[end - 2] == (le ? '\n' : '\0') && head[end - 1] == (le ? '\0' : '\n')) return end;
  return 0;
}

}  // namespace cms
