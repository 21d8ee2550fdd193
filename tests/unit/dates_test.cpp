#include <gtest/gtest.h>

#include "text/dates.h"
#include "test_support.h"

namespace sendhub::text {
namespace {

struct Case {
  const char* text;
  const char* format;
  const char* expected;  // nullptr: must be refused
};

// One table for the one date parser.
const Case kCases[] = {
    {"2026-01-15", "%Y-%m-%d", "2026-01-15"},
    {"2024-02-29", "%Y-%m-%d", "2024-02-29"},   // leap day
    {"2025-02-29", "%Y-%m-%d", nullptr},        // not a leap year
    {"1900-02-29", "%Y-%m-%d", nullptr},        // century rule
    {"2000-02-29", "%Y-%m-%d", "2000-02-29"},   // 400-year rule
    {"2025-13-01", "%Y-%m-%d", nullptr},
    {"2025-04-31", "%Y-%m-%d", nullptr},
    {"2025-01-15 ", "%Y-%m-%d", nullptr},       // trailing text
    {"25-01-15", "%Y-%m-%d", nullptr},
    {"15/01/2026", "%d/%m/%Y", "2026-01-15"},
    {"5/1/2026", "%d/%m/%Y", "2026-01-05"},
    {"31/02/2026", "%d/%m/%Y", nullptr},
    {"2022-Sep-28 00:00:00", "%Y-%b-%d %H:%M:%S", "2022-09-28"},  // COLLECT Blade style
    {"28-sep-22", "%d-%b-%y", "2022-09-28"},
    {"", "%Y-%m-%d", nullptr},
};

TEST(Dates, ParsesOnlyRealCalendarDatesInTheGivenFormat) {
  for (const auto& c : kCases) {
    auto d = parse(c.text, c.format);
    if (c.expected) {
      ASSERT_TRUE(d.has_value()) << c.text << " with " << c.format;
      EXPECT_EQ(to_iso(*d), c.expected) << c.text;
    } else {
      EXPECT_FALSE(d.has_value()) << c.text << " with " << c.format;
    }
  }
}

TEST(Dates, IsoIsStrictAboutShape) {
  EXPECT_TRUE(parse_iso("2026-01-15"));
  EXPECT_FALSE(parse_iso("2026-1-15"));
  EXPECT_FALSE(parse_iso("2026/01/15"));
}

// parse_iso reads digits directly (the hot path); it must accept exactly what the general
// parser accepts for the ISO format.
TEST(Dates, IsoFastPathAgreesWithTheGeneralParser) {
  for (const char* t : {"2026-01-15", "2024-02-29", "2023-02-29", "0000-01-01", "0001-01-01", "9999-12-31",
                        "2026-00-10", "2026-13-01", "2026-01-00", "2026-01-32", "2026-1a-05", "2026-01-5x",
                        "2026-1--05", "+026-01-15", "2026-01- 5", " 026-01-15", "2026-04-31", "2026-06-30"}) {
    const auto fast = parse_iso(t);
    const auto general = parse(t, "%Y-%m-%d");
    EXPECT_EQ(fast.has_value(), general.has_value()) << t;
    if (fast && general) {
      EXPECT_EQ(*fast, *general) << t;
    }
  }
}

TEST(Dates, ParseAnyTriesFormatsInOrder) {
  auto d = parse_any("03/04/2025", {"%Y-%m-%d", "%d/%m/%Y"});
  ASSERT_TRUE(d);
  EXPECT_EQ(to_iso(*d), "2025-04-03");
  EXPECT_FALSE(parse_any("2025/04/03", {"%d/%m/%Y"}));
}

// Issue 12.5: %y read 05/03/98 as 2098; date-times did not parse with date formats.
TEST(Dates, TwoDigitYearsUseThePosixPivotAndTimesAfterTheDateAreIgnored) {
  EXPECT_EQ(to_iso(*parse_any("05/03/98", {"%d/%m/%y"})), "1998-03-05");
  EXPECT_EQ(to_iso(*parse_any("05/03/68", {"%d/%m/%y"})), "2068-03-05");
  EXPECT_EQ(to_iso(*parse_any("05/03/69", {"%d/%m/%y"})), "1969-03-05");
  EXPECT_EQ(to_iso(*parse_any("14/03/2023 00:00", {"%d/%m/%Y"})), "2023-03-14");
  EXPECT_EQ(to_iso(*parse_any("2023-03-14T09:30:00Z", {"%Y-%m-%d"})), "2023-03-14");
  EXPECT_FALSE(parse_any("14/03/2023 lunchtime", {"%d/%m/%Y"}));
  EXPECT_FALSE(parse_any("14/03/2023 00:00", {}));  // ISO only: strict
}

TEST(Dates, DayNumbersRoundTripAndCount) {
  EXPECT_EQ(to_days({1970, 1, 1}), 0);
  EXPECT_EQ(to_days({2025, 3, 1}) - to_days({2025, 2, 28}), 1);
  EXPECT_EQ(to_days({2024, 3, 1}) - to_days({2024, 2, 28}), 2);
  for (long n : {-1000L, 0L, 19000L, 20468L, 60000L}) EXPECT_EQ(to_days(from_days(n)), n);
}

}  // namespace
}  // namespace sendhub::text

#include "rules/return_years.h"

namespace sendhub {
namespace {

TEST(CensusDay, FromYearsJsonElseTheThirdThursdayOfJanuary) {
  const std::string schemas = SENDHUB_SOURCE_DIR "/schemas";
  EXPECT_EQ(census_day(schemas, 2026), "2026-01-15");
  EXPECT_EQ(census_day(schemas, 2027), "2027-01-21");
  EXPECT_EQ(census_day(schemas, 2022), "2022-01-20");  // not in years.json: the rule gives the published day
  EXPECT_EQ(census_day(schemas, 2030), "2030-01-17");
  EXPECT_EQ(census_day(schemas, 2019), "2019-01-17");
  ASSERT_TRUE(return_year(schemas, 2026));
  EXPECT_EQ(return_year(schemas, 2026)->period_start, "2025-01-01");
  EXPECT_FALSE(return_year(schemas, 1999));
}

}  // namespace
}  // namespace sendhub
