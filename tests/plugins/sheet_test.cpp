// A KPI snapshot's sheet: one row per measure, breakdown and value, found by its three names
// however many rows it holds, never confusing names that join to the same text.
#include <gtest/gtest.h>

#include <map>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include "sheet.h"

namespace {

using Names = std::tuple<std::string, std::string, std::string>;

std::map<Names, kpi::Row> by_names(const std::vector<kpi::Row>& rows) {
  std::map<Names, kpi::Row> out;
  for (const auto& r : rows) EXPECT_TRUE(out.emplace(Names{r.measure, r.breakdown, r.breakdown_value}, r).second);
  return out;
}

TEST(Sheet, NamesThatJoinAlikeAreRowsOfTheirOwn) {
  kpi::Sheet sheet;
  sheet.count_by("ab", "c", "d");
  sheet.count_by("a", "bc", "d");
  sheet.count_by("a", "b", "cd");
  sheet.count_by("a", "b", "cd");
  sheet.count_by("a\x1f" "b", "", "cd");
  sheet.count("a");
  const auto rows = by_names(sheet.rows({"a", "ab"}));
  ASSERT_EQ(rows.size(), 5U);
  EXPECT_EQ(rows.at(Names{"a", "b", "cd"}).numerator, 2);
  EXPECT_EQ(rows.at(Names{"ab", "c", "d"}).numerator, 1);
  EXPECT_EQ(rows.at(Names{"a", "bc", "d"}).numerator, 1);
  EXPECT_EQ(rows.at(Names{"a\x1f" "b", "", "cd"}).numerator, 1);
  EXPECT_EQ(rows.at(Names{"a", "", ""}).numerator, 1);
}

// Thousands of rows (the sheet grows many times) added in a random order come out with the
// counts a plain map of the same operations gives.
TEST(Sheet, EveryRowKeepsItsCountsAsTheSheetGrows) {
  kpi::Sheet sheet;
  std::map<Names, std::pair<long, long>> expected;   // numerator, denominator (-1: a count)
  std::mt19937 random(30);
  for (int i = 0; i < 60000; ++i) {
    const std::string measure = "m" + std::to_string(random() % 40), breakdown = random() % 4 ? "need" : "";
    const std::string value = breakdown.empty() ? "" : "v" + std::to_string(random() % 150);
    const bool is_rate = measure.size() % 2 == 0;   // a measure is always one or the other
    auto& e = expected.try_emplace(Names{measure, breakdown, value}, 0, is_rate ? 0 : -1).first->second;
    if (is_rate) {
      const bool in_time = random() % 3 == 0;
      sheet.rate(measure, breakdown, value, in_time);
      e.first += in_time ? 1 : 0;
      e.second += 1;
    } else {
      sheet.count_by(measure, breakdown, value, 2);
      e.first += 2;
    }
  }
  const auto rows = by_names(sheet.rows({}));
  ASSERT_EQ(rows.size(), expected.size());
  EXPECT_GT(rows.size(), 3000U);
  for (const auto& [names, counts] : expected) {
    const kpi::Row& r = rows.at(names);
    EXPECT_EQ(r.numerator, counts.first);
    if (counts.second < 0) EXPECT_FALSE(r.denominator.has_value());
    else EXPECT_EQ(r.denominator, counts.second);
  }
}

TEST(Sheet, FillAddsZeroRowsOnlyUnderATotalAndKeepsItsKind) {
  kpi::Sheet sheet;
  sheet.fill("left_out", "need", {"ASD"});   // no total row: nothing
  sheet.rate("timely", "", "", true);
  sheet.fill("timely", "need", {"ASD", "SEMH"});
  sheet.count("active");
  sheet.count_by("active", "need", "SEMH", 3);
  sheet.fill("active", "need", {"ASD", "SEMH"});
  const auto rows = sheet.rows({"active", "timely"});
  std::vector<std::string> seen;
  for (const auto& r : rows) seen.push_back(r.measure + "/" + r.breakdown_value + "=" + r.value());
  EXPECT_EQ(seen, (std::vector<std::string>{"active/=1", "active/ASD=0", "active/SEMH=3", "timely/=100.0", "timely/ASD=",
                                            "timely/SEMH="}));
}

}  // namespace
