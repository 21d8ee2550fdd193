// text/dates.h: the one date parser. Every date that enters the dataset passes here.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sendhub::text {

struct Date {
  int year = 0, month = 0, day = 0;
  auto operator<=>(const Date&) const = default;
};

bool is_valid(const Date& d);
int days_in_month(int year, int month);

// Parses text against a strftime-style format: %Y (4 digits), %y (2 digits, POSIX pivot),
// %m and %d (1 or 2 digits), %b (Jan..Dec, any case), %H %M %S (ignored time parts);
// any other character must match itself. The whole text must be consumed and the
// result must be a real calendar date.
std::optional<Date> parse(std::string_view text, std::string_view format);

// Tries each format in turn; ISO %Y-%m-%d when formats is empty.
// Tries each strftime-style format in order (%Y %y %m %d %b %H %M %S); a time after the
// date ("14/03/2023 00:00") is ignored when no format covers it. %y follows POSIX: 69-99
// are 1969-1999, 00-68 are 2000-2068.
std::optional<Date> parse_any(std::string_view text, const std::vector<std::string>& formats);

std::string to_iso(const Date& d);
// Strict ISO YYYY-MM-DD with exactly that many digits.
std::optional<Date> parse_iso(std::string_view text);

// Days since 1970-01-01 (proleptic Gregorian), and back.
long to_days(const Date& d);
Date from_days(long days);

// Whole months later (or earlier), clamped to the last day of the month.
Date add_months(const Date& d, int months);

}  // namespace sendhub::text
