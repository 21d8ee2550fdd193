#include "text_reader.h"

#include <Poco/TextConverter.h>
#include <Poco/UTF16Encoding.h>
#include <Poco/UTF8Encoding.h>
#include <Poco/Windows1252Encoding.h>

#include <algorithm>
#include <cstring>
#include <stdexcept>

#include "sendhub/error.h"
#include "text_encoding.h"

namespace cms {
namespace {

bool starts_with(const char* p, std::size_t n, std::string_view prefix) {
  return n >= prefix.size() && std::memcmp(p, prefix.data(), prefix.size()) == 0;
}

// What the first pass learns of the text's line breaks.
struct Breaks {
  bool lf = false, cr = false;
  void bytes(const char* p, std::size_t n) {
    if (!lf) lf = std::memchr(p, '\n', n) != nullptr;
    if (!cr) cr = std::memchr(p, '\r', n) != nullptr;
  }
  // Whole UTF-16 units only: a line break is a unit of its own.
  void units(const char* p, std::size_t n, bool little_endian) {
    for (std::size_t i = 0; i + 1 < n; i += 2) {
      const auto lo = static_cast<unsigned char>(p[little_endian ? i : i + 1]);
      const auto hi = static_cast<unsigned char>(p[little_endian ? i + 1 : i]);
      if (hi == 0) lf = lf || lo == '\n', cr = cr || lo == '\r';
    }
  }
};

bool high_surrogate(const std::string& raw, std::size_t at, bool little_endian) {
  const auto hi = static_cast<unsigned char>(raw[little_endian ? at + 1 : at]);
  return hi >= 0xD8 && hi <= 0xDB;
}

}  // namespace

TextReader::TextReader(const std::string& file, const std::string& encoding, std::size_t block)
    : file_(file), in_(file, std::ios::binary), block_(std::max<std::size_t>(block, 1)) {
  if (!in_) throw sendhub::Error(sendhub::Where{file, 0, ""}, "", "input.read", "cannot read the input file");
  char head[3];
  in_.read(head, 3);
  const auto got = static_cast<std::size_t>(in_.gcount());
  // decode()'s order: a profile's windows-1252 first, then a UTF-8 byte-order mark, then (auto)
  // a UTF-16 one, then strict UTF-8 for the whole file, else (auto) Windows-1252.
  bool check_utf8 = true;
  const char* invalid = encoding == "utf-8" ? "the file is not valid UTF-8 (the profile says utf-8)" : nullptr;
  if (encoding == "windows-1252") {
    mode_ = Mode::cp1252, check_utf8 = false;
  } else if (starts_with(head, got, "\xEF\xBB\xBF")) {
    skip_ = 3, invalid = "the file has a UTF-8 byte-order mark but is not valid UTF-8";
  } else if (encoding == "auto" && (starts_with(head, got, "\xFF\xFE") || starts_with(head, got, "\xFE\xFF"))) {
    mode_ = head[0] == '\xFF' ? Mode::utf16le : Mode::utf16be, skip_ = 2, check_utf8 = false;
  }
  rewind();
  Breaks breaks;
  std::string raw;
  std::size_t open = 0;   // bytes of a character the block before began
  for (std::size_t n; (n = fill(raw, open)) > 0 || open > 0;) {
    if (mode_ == Mode::utf16le || mode_ == Mode::utf16be) {
      breaks.units(raw.data(), raw.size(), mode_ == Mode::utf16le);
      open = raw.size() % 2;
    } else {
      breaks.bytes(raw.data() + open, raw.size() - open);
      open = 0;
      if (check_utf8 && (open = utf8_open_tail(raw)) == kInvalidUtf8) {
        if (invalid) throw std::runtime_error(invalid);
        mode_ = Mode::cp1252, check_utf8 = false, open = 0;
      }
    }
    if (n == 0) {   // the end, inside a character
      if (check_utf8 && invalid) throw std::runtime_error(invalid);
      if (check_utf8) mode_ = Mode::cp1252;
      break;
    }
    raw.erase(0, raw.size() - open);
  }
  cr_only_ = breaks.cr && !breaks.lf;
  encoding_ = mode_ == Mode::utf8 ? "utf-8" : mode_ == Mode::cp1252 ? "windows-1252" : mode_ == Mode::utf16le ? "utf-16le" : "utf-16be";
  rewind();
}

void TextReader::rewind() {
  in_.clear();
  in_.seekg(static_cast<std::streamoff>(skip_));
  if (!in_) throw sendhub::Error(sendhub::Where{file_, 0, ""}, "", "input.read", "cannot read the input file");
}

std::size_t TextReader::fill(std::string& raw, std::size_t keep) {
  raw.resize(keep + block_);
  in_.read(raw.data() + keep, static_cast<std::streamsize>(block_));
  const auto got = static_cast<std::size_t>(in_.gcount());
  if (got == 0 && in_.bad()) throw sendhub::Error(sendhub::Where{file_, 0, ""}, "", "input.read", "cannot read the input file");
  raw.resize(keep + got);
  return got;
}

bool TextReader::read(std::string& out) {
  if (mode_ == Mode::utf8) {   // checked whole by the first pass: the bytes are the text
    if (ended_) return false;
    const std::size_t at = out.size();
    out.resize(at + block_);
    in_.read(out.data() + at, static_cast<std::streamsize>(block_));
    const auto got = static_cast<std::size_t>(in_.gcount());
    out.resize(at + got);
    ended_ = got == 0;
    return !ended_;
  }
  const bool le = mode_ == Mode::utf16le;
  while (!ended_) {
    ended_ = fill(raw_, carry_) == 0;
    std::size_t cut = raw_.size();
    // A UTF-16 block ends on a whole unit, and not between the two units of one character.
    if (!ended_ && mode_ != Mode::cp1252) {
      cut -= cut % 2;
      if (cut >= 2 && high_surrogate(raw_, cut - 2, le)) cut -= 2;
    }
    carry_ = raw_.size() - cut;
    if (cut == 0) continue;
    Poco::UTF8Encoding utf8;
    if (mode_ == Mode::cp1252) {
      Poco::Windows1252Encoding cp1252;
      Poco::TextConverter(cp1252, utf8).convert(raw_.data(), static_cast<int>(cut), out);
    } else {
      Poco::UTF16Encoding utf16(le ? Poco::UTF16Encoding::LITTLE_ENDIAN_BYTE_ORDER : Poco::UTF16Encoding::BIG_ENDIAN_BYTE_ORDER);
      Poco::TextConverter(utf16, utf8).convert(raw_.data(), static_cast<int>(cut), out);
    }
    raw_.erase(0, cut);
    return true;
  }
  return false;
}

}  // namespace cms
