#include "csv_parser.h"

namespace cms {

std::optional<CsvRow> CsvParser::next() {
  // Blank lines between records carry nothing.
  while (pos_ < text_.size() && (text_[pos_] == '\n' || text_[pos_] == '\r')) {
    if (text_[pos_] == '\n') ++line_;
    ++pos_;
  }
  if (pos_ >= text_.size()) return std::nullopt;
  CsvRow row;
  row.line = line_;
  const std::size_t start = pos_;
  std::string field;
  bool quoted = false, was_quoted = false;
  for (; pos_ < text_.size(); ++pos_) {
    const char c = text_[pos_];
    if (quoted) {
      if (c == '"' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '"') {
        field += '"';
        ++pos_;
      } else if (c == '"') {
        quoted = false;
      } else {
        if (c == '\n') ++line_;
        field += c;
      }
    } else if (c == '"' && field.empty() && !was_quoted) {
      quoted = was_quoted = true;
    } else if (c == delimiter_) {
      row.fields.push_back(std::move(field));
      field.clear();
      was_quoted = false;
    } else if (c == '\n' || c == '\r') {
      break;
    } else {
      field += c;  // a stray quote inside an unquoted field is kept as text
    }
  }
  if (quoted) throw CsvProblem{row.line, "a quoted field is not closed before the end of the file"};
  row.fields.push_back(std::move(field));
  row.raw = std::string(text_.substr(start, pos_ - start));
  if (pos_ < text_.size() && text_[pos_] == '\r') ++pos_;
  if (pos_ < text_.size() && text_[pos_] == '\n') {
    ++pos_;
    ++line_;
  }
  return row;
}

}  // namespace cms
