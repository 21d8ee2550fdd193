#include "text_reader.h"

#include <algorithm>
#include <cstring>
#include <stdexcept>

#include "sendhub/error.h"

namespace cms {
namespace {

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
  Reading r = reading_of(std::string_view(head, static_cast<std::size_t>(in_.gcount())), encoding);
  form_ = r.form;
  skip_ = r.skip;
  const bool utf16 = form_ == Form::utf16le || form_ == Form::utf16be;
  rewind();
  Breaks breaks;
  std::string raw;
  std::size_t open = 0;   // bytes of a character the block before began
  for (std::size_t n; (n = fill(raw, open)) > 0 || open > 0;) {
    if (utf16) {
      breaks.units(raw.data(), raw.size(), form_ == Form::utf16le);
      open = raw.size() % 2;
    } else {
      breaks.bytes(raw.data() + open, raw.size() - open);
      open = 0;
      if (r.check_utf8 && (open = utf8_open_tail(raw)) == kInvalidUtf8) {
        if (r.invalid) throw std::runtime_error(r.invalid);
        form_ = Form::cp1252, r.check_utf8 = false, open = 0;   // no byte-order mark: the whole file
      }
    }
    if (n == 0) {   // the end, inside a character
      if (r.check_utf8 && r.invalid) throw std::runtime_error(r.invalid);
      if (r.check_utf8) form_ = Form::cp1252;
      break;
    }
    raw.erase(0, raw.size() - open);
  }
  cr_only_ = breaks.cr && !breaks.lf;
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
  if (form_ == Form::utf8) {   // checked whole by the first pass: the bytes are the text
    if (ended_) return false;
    const std::size_t at = out.size();
    out.resize(at + block_);
    in_.read(out.data() + at, static_cast<std::streamsize>(block_));
    const auto got = static_cast<std::size_t>(in_.gcount());
    out.resize(at + got);
    ended_ = got == 0;
    return !ended_;
  }
  while (!ended_) {
    ended_ = fill(raw_, carry_) == 0;
    std::size_t cut = raw_.size();
    // A UTF-16 block ends on a whole unit, and not between the two units of one character.
    if (!ended_ && form_ != Form::cp1252) {
      cut -= cut % 2;
      if (cut >= 2 && high_surrogate(raw_, cut - 2, form_ == Form::utf16le)) cut -= 2;
    }
    carry_ = raw_.size() - cut;
    if (cut == 0) continue;
    append_utf8(form_, std::string_view(raw_.data(), cut), out);
    raw_.erase(0, cut);
    return true;
  }
  return false;
}

}  // namespace cms
