#include "csv_parser.h"

#include "text_reader.h"

namespace cms {

CsvParser::CsvParser(std::string_view text, char delimiter, std::size_t max_field)
    : text_(text), delimiter_(delimiter), max_field_(max_field),
      // Classic Mac exports end lines with CR alone; anywhere else a lone CR is a stray.
      cr_only_(text.find('\n') == std::string_view::npos && text.find('\r') != std::string_view::npos) {}

CsvParser::CsvParser(TextReader& reader, char delimiter, std::size_t max_field)
    : reader_(&reader), delimiter_(delimiter), max_field_(max_field), cr_only_(reader.cr_only()) {}

bool CsvParser::more(std::size_t i) {
  while (reader_ && i >= buffer_.size()) {
    const bool read = reader_->read(buffer_);
    text_ = buffer_;   // read or not, the buffer may have moved
    if (!read) reader_ = nullptr;   // the end of the file
  }
  return i < text_.size();
}

// A line break at pos_ (LF, CRLF, or CR in a CR-only file): its length, else 0.
std::size_t CsvParser::line_break() {
  const char c = text_[pos_];
  if (c == '\n') return 1;
  if (c != '\r') return 0;
  if (has(pos_ + 1) && text_[pos_ + 1] == '\n') return 2;
  return cr_only_ ? 1 : 0;
}

void CsvParser::add(CsvRow& row, std::string& field, char c) const {
  if (field.size() < max_field_) {
    field += c;
  } else if (row.problem.empty()) {
    row.problem = "a field is longer than " + std::to_string(max_field_) + " bytes";
    row.problem_rule = "csv.field_length";
    row.problem_column = row.fields.size();
  }
}

std::optional<CsvRow> CsvParser::next() {
  // The text of the records before this one is dropped once it is half the buffer, so what is
  // left is moved seldom; a record begun at the end of one block reads on into the next.
  if (!buffer_.empty() && pos_ > 0 && pos_ * 2 >= buffer_.size()) {
    buffer_.erase(0, pos_);
    text_ = buffer_;
    pos_ = 0;
  }
  // Blank lines between records carry nothing.
  for (std::size_t n; has(pos_) && (n = line_break()) > 0; pos_ += n) ++line_;
  if (!has(pos_)) return std::nullopt;
  CsvRow row;
  row.line = line_;
  const std::size_t start = pos_;
  std::string field;
  bool quoted = false, was_quoted = false;
  std::size_t end_break = 0;
  for (; has(pos_); ++pos_) {
    const char c = text_[pos_];
    if (quoted) {
      if (c == '"' && has(pos_ + 1) && text_[pos_ + 1] == '"') {
        add(row, field, '"');
        ++pos_;
      } else if (c == '"') {
        quoted = false;
      } else {
        if (c == '\n' || (c == '\r' && cr_only_)) ++line_;
        add(row, field, c);
      }
    } else if (c == '"' && field.empty() && !was_quoted) {
      quoted = was_quoted = true;
    } else if (c == delimiter_) {
      row.fields.push_back(std::move(field));
      field.clear();
      was_quoted = false;
    } else if ((end_break = line_break()) > 0) {
      break;
    } else {
      // A CR inside an unquoted field of an LF/CRLF file would split the row in a
      // spreadsheet and truncate the value here: the row is quarantined, not guessed at.
      if (c == '\r' && row.problem.empty()) {
        row.problem = "a carriage return (CR) inside an unquoted field";
        row.problem_rule = "csv.stray_cr";
        row.problem_column = row.fields.size();
      }
      add(row, field, c);  // a stray quote inside an unquoted field is kept as text
    }
  }
  if (quoted) throw CsvProblem{row.line, "a quoted field is not closed before the end of the file"};
  row.fields.push_back(std::move(field));
  row.raw = std::string(text_.substr(start, pos_ - start));
  if (end_break > 0) {
    pos_ += end_break;
    ++line_;
  }
  return row;
}

}  // namespace cms
