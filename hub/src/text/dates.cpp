#include "text/dates.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>

namespace sendhub::text {
namespace {

bool is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

// Reads between min and max digits; returns false when fewer than min are there.
bool read_number(std::string_view s, std::size_t& pos, int min, int max, int& out) {
  int n = 0, value = 0;
  while (n < max && pos < s.size() && std::isdigit(static_cast<unsigned char>(s[pos]))) {
    value = value * 10 + (s[pos] - '0');
    ++pos;
    ++n;
  }
  out = value;
  return n >= min;
}

bool read_month_name(std::string_view s, std::size_t& pos, int& month) {
  static constexpr std::array<std::string_view, 12> kNames = {
      "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"};
  if (pos + 3 > s.size()) return false;
  for (std::size_t m = 0; m < kNames.size(); ++m) {
    bool same = true;
    for (std::size_t i = 0; i < 3; ++i)
      same = same && std::tolower(static_cast<unsigned char>(s[pos + i])) == kNames[m][i];
    if (same) {
      month = static_cast<int>(m) + 1;
      pos += 3;
      return true;
    }
  }
  return false;
}

bool read_directive(char directive, std::string_view s, std::size_t& pos, Date& d) {
  int ignored = 0;
  switch (directive) {
    case 'Y': return read_number(s, pos, 4, 4, d.year);
    case 'y':  // POSIX strptime's pivot: 69-99 are 1969-1999, 00-68 are 2000-2068
      if (!read_number(s, pos, 2, 2, d.year)) return false;
      d.year += d.year >= 69 ? 1900 : 2000;
      return true;
    case 'm': return read_number(s, pos, 1, 2, d.month);
    case 'd': return read_number(s, pos, 1, 2, d.day);
    case 'b': return read_month_name(s, pos, d.month);
    case 'H': case 'M': case 'S': return read_number(s, pos, 1, 2, ignored);
    case '%': return pos < s.size() && s[pos++] == '%';
    default: return false;
  }
}

}  // namespace

int days_in_month(int year, int month) {
  static constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12) return 0;
  return month == 2 && is_leap(year) ? 29 : kDays[static_cast<std::size_t>(month - 1)];
}

bool is_valid(const Date& d) {
  return d.year >= 1 && d.year <= 9999 && d.day >= 1 && d.day <= days_in_month(d.year, d.month);
}

std::optional<Date> parse(std::string_view text, std::string_view format) {
  Date d;
  std::size_t pos = 0;
  for (std::size_t f = 0; f < format.size(); ++f) {
    if (format[f] == '%' && f + 1 < format.size()) {
      if (!read_directive(format[++f], text, pos, d)) return std::nullopt;
    } else if (pos >= text.size() || text[pos++] != format[f]) {
      return std::nullopt;
    }
  }
  if (pos != text.size() || !is_valid(d)) return std::nullopt;
  return d;
}

// What parse(text, "%Y-%m-%d") accepts, read directly: every date of every record read
// passes here, and the format walk was a tenth of validation's rule time.
std::optional<Date> parse_iso(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  int n[3] = {0, 0, 0};
  for (std::size_t i = 0, part = 0; i < 10; ++i) {
    if (i == 4 || i == 7) {
      ++part;
      continue;
    }
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
    n[part] = n[part] * 10 + (text[i] - '0');
  }
  const Date d{n[0], n[1], n[2]};
  if (!is_valid(d)) return std::nullopt;
  return d;
}

// "14/03/2023 00:00", "2023-03-14T09:30:00Z": a time after the date, as spreadsheets and
// case-management systems export dates. Returns the date part, or the text unchanged.
namespace {
std::string_view without_time(std::string_view text) {
  const auto sep = text.find_first_of(" T", 6);
  if (sep == std::string_view::npos || sep + 1 >= text.size()) return text;
  const std::string_view time = text.substr(sep + 1);
  if (!std::isdigit(static_cast<unsigned char>(time[0])) || time.find(':') == std::string_view::npos) return text;
  for (char c : time)
    if (!std::isdigit(static_cast<unsigned char>(c)) && c != ':' && c != '.' && c != 'Z' && c != '+' && c != '-')
      return text;
  return text.substr(0, sep);
}
}  // namespace

std::optional<Date> parse_any(std::string_view text, const std::vector<std::string>& formats) {
  if (formats.empty()) return parse_iso(text);
  for (const auto& f : formats)
    if (auto d = parse(text, f)) return d;
  const std::string_view date_part = without_time(text);
  if (date_part.size() == text.size()) return std::nullopt;
  for (const auto& f : formats)
    if (auto d = parse(date_part, f)) return d;
  return std::nullopt;
}

std::string to_iso(const Date& d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", d.year, d.month, d.day);
  return buf;
}

// Howard Hinnant's days_from_civil / civil_from_days.
long to_days(const Date& d) {
  int y = d.year - (d.month <= 2 ? 1 : 0);
  long era = (y >= 0 ? y : y - 399) / 400;
  long yoe = y - era * 400;
  long doy = (153 * (d.month + (d.month > 2 ? -3 : 9)) + 2) / 5 + d.day - 1;
  long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

Date from_days(long z) {
  z += 719468;
  long era = (z >= 0 ? z : z - 146096) / 146097;
  long doe = z - era * 146097;
  long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  long mp = (5 * doy + 2) / 153;
  Date d;
  d.day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  d.month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  d.year = static_cast<int>(yoe + era * 400 + (d.month <= 2 ? 1 : 0));
  return d;
}

Date add_months(const Date& d, int months) {
  int m = d.year * 12 + (d.month - 1) + months;
  Date out{m / 12, m % 12 + 1, 0};
  out.day = std::min(d.day, days_in_month(out.year, out.month));
  return out;
}

}  // namespace sendhub::text
