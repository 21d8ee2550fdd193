// csv_parser.h: RFC 4180 records from decoded UTF-8 text: quoted fields may hold the
// delimiter, doubled quotes and line breaks; CRLF and LF both end a record, and CR alone
// does in a file that has no LF at all; blank lines are skipped. Each row remembers the
// line it starts on, and what is wrong with it (a stray CR, a field over the cap).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cms {

struct CsvRow {
  std::int64_t line = 0;              // 1-based line the record starts on
  std::vector<std::string> fields;
  std::string raw;                    // the record's text as it stood in the file
  std::string problem, problem_rule;  // "" when the row is sound
  std::size_t problem_column = 0;     // 0-based column the problem is in
};

struct CsvProblem {
  std::int64_t line = 0;
  std::string message;
};

class TextReader;

class CsvParser {
 public:
  static constexpr std::size_t kMaxField = std::size_t{64} * 1024;
  // Over text held whole (a file's head).
  CsvParser(std::string_view text, char delimiter, std::size_t max_field = kMaxField);
  // Over a file read a block at a time: it holds the record being read and one block.
  CsvParser(TextReader& reader, char delimiter, std::size_t max_field = kMaxField);
  // The next record, or nothing at the end. A quote left open at the end of the file is
  // a CsvProblem (thrown): the rest of the file cannot be read reliably.
  std::optional<CsvRow> next();
  // The bytes of text it holds: the record being read and a block of the file (or nothing
  // of its own over text held whole).
  std::size_t held() const { return buffer_.capacity(); }

 private:
  std::size_t line_break();
  void add(CsvRow& row, std::string& field, char c) const;
  // Whether the text has a byte at i, reading the next block when it may.
  bool has(std::size_t i) { return i < text_.size() || more(i); }
  bool more(std::size_t i);

  TextReader* reader_ = nullptr;
  std::string buffer_;     // the reader's blocks from the record being read on
  std::string_view text_;
  char delimiter_;
  std::size_t max_field_;
  bool cr_only_;
  std::size_t pos_ = 0;
  std::int64_t line_ = 1;
};

}  // namespace cms
