// text_reader.h: one CSV file's text as UTF-8, a block at a time, so that a file of any size
// is read in flat memory. The whole file was read and decoded at once before: a 1,066,666-row
// export (160 MB) was held three times over, and its first row was parsed a second after the
// source began. What the whole file decides is found by a first pass over its bytes, one block
// held at a time: its encoding (text_encoding.h's decode() rules, whose messages it keeps) and
// whether it ends its lines with CR alone (no LF anywhere).
#pragma once

#include <cstddef>
#include <fstream>
#include <string>

#include "text_encoding.h"

namespace cms {

class TextReader {
 public:
  static constexpr std::size_t kBlock = std::size_t{1} << 20;

  // encoding as a mapping profile gives it: "auto", "utf-8" or "windows-1252". Throws
  // sendhub::Error (input.read) when the file cannot be read, std::runtime_error when its
  // bytes are not the UTF-8 its byte-order mark or the profile promises.
  TextReader(const std::string& file, const std::string& encoding, std::size_t block = kBlock);

  std::string encoding() const { return name_of(form_); }   // utf-8, utf-16le, utf-16be, windows-1252
  bool cr_only() const { return cr_only_; }
  // Appends the next block of text (UTF-8, without a byte-order mark) to out; false, with
  // nothing appended, at the end of the file.
  bool read(std::string& out);

 private:
  std::size_t fill(std::string& raw, std::size_t keep);   // raw's first `keep` bytes, then the next block
  void rewind();

  std::string file_;
  std::ifstream in_;
  std::size_t block_;
  Form form_ = Form::utf8;
  std::size_t skip_ = 0;   // the byte-order mark's bytes
  bool cr_only_ = false;
  std::string raw_;        // read(): the block as read, and a UTF-16 unit or pair cut at its end
  std::size_t carry_ = 0;
  bool ended_ = false;
};

}  // namespace cms
