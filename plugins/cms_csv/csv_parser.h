// csv_parser.h: RFC 4180 records from decoded UTF-8 text: quoted fields may hold the
// delimiter, doubled quotes and line breaks; CRLF and LF both end a record; blank lines
// are skipped. Each row remembers the line it starts on.
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
};

struct CsvProblem {
  std::int64_t line = 0;
  std::string message;
};

class CsvParser {
 public:
  CsvParser(std::string_view text, char delimiter) : text_(text), delimiter_(delimiter) {}
  // The next record, or nothing at the end. A quote left open at the end of the file is
  // a CsvProblem (thrown): the rest of the file cannot be read reliably.
  std::optional<CsvRow> next();

 private:
  std::string_view text_;
  char delimiter_;
  std::size_t pos_ = 0;
  std::int64_t line_ = 1;
};

}  // namespace cms
