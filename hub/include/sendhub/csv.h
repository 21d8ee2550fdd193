// sendhub/csv.h: the one way every CSV the hub writes is written (host and plugins alike).
//
// RFC 4180: a field holding the delimiter, a quote, CR or LF is quoted, quotes doubled;
// rows end CRLF. Spreadsheets run a cell that starts with = + - @ TAB or CR as a formula
// (OWASP "CSV injection"), so such a text cell is written with a leading apostrophe and
// quoted. A plain number ("-3", "12.5") is data, not a formula, and is left as it is.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

namespace sendhub::csv {

// "-12", "3.5", "-0.25": a number a spreadsheet reads as a number.
inline bool plain_number(std::string_view v) {
  std::size_t i = (!v.empty() && v[0] == '-') ? 1 : 0;
  bool digits = false, dot = false;
  for (; i < v.size(); ++i) {
    if (v[i] >= '0' && v[i] <= '9') {
      digits = true;
    } else if (v[i] == '.' && !dot) {
      dot = true;
    } else {
      return false;
    }
  }
  return digits;
}

inline bool formula_like(std::string_view v) {
  if (v.empty() || plain_number(v)) return false;
  const char c = v[0];
  return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
}

// One field, quoted and neutralised as needed, appended to `out`.
inline void append_field(std::string& out, std::string_view v, char delimiter = ',') {
  const bool formula = formula_like(v);
  const bool quote = formula || v.find_first_of(std::string{'"', '\r', '\n', delimiter}) != std::string_view::npos;
  if (!quote) {
    out.append(v);
    return;
  }
  out += '"';
  if (formula) out += '\'';
  for (char c : v) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

inline std::string field(std::string_view v) {
  std::string out;
  append_field(out, v);
  return out;
}

// One whole row, CRLF-terminated: of fields known when written, or of a list built at run time.
template <typename Fields>
inline std::string row_of(const Fields& fields) {
  std::string out;
  bool first = true;
  for (std::string_view f : fields) {
    if (!first) out += ',';
    first = false;
    append_field(out, f);
  }
  out += "\r\n";
  return out;
}
inline std::string row(std::initializer_list<std::string_view> fields) { return row_of(fields); }

}  // namespace sendhub::csv
