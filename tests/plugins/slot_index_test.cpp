// The index the KPI sheet, the alerts book and the seen set find their rows by (slot_index.h).
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "slot_index.h"

namespace {

// Rows kept apart, found by a hash the test chooses: an honest one, or one that collides.
struct Rows {
  std::vector<std::string> rows;
  plugin_support::SlotIndex index;
  std::function<std::uint64_t(std::string_view)> hash;

  std::int64_t find(const std::string& v) const {
    return index.find(hash(v), [&](std::uint32_t at) { return rows[at] == v; });
  }
  // The row's number, added when new.
  std::uint32_t put(const std::string& v) {
    const auto at = static_cast<std::uint32_t>(rows.size());
    const std::uint32_t got = index.find_or_add(hash(v), at, [&](std::uint32_t i) { return rows[i] == v; });
    if (got == at) rows.push_back(v);
    return got;
  }
};

// Every row found again however the hashes fall: all the same (every look-up probes past the
// others and compares), sharing their low bits (the same first slot), or spread; through growth.
TEST(SlotIndex, FindsEveryRowAgainHoweverTheHashesFall) {
  const std::vector<std::function<std::uint64_t(std::string_view)>> hashes = {
      [](std::string_view) { return std::uint64_t{42}; },
      [](std::string_view v) { return std::uint64_t{std::hash<std::string_view>()(v)} << 40; },
      [](std::string_view v) { return std::uint64_t{std::hash<std::string_view>()(v)}; }};
  for (std::size_t h = 0; h < hashes.size(); ++h) {
    Rows r{{}, {}, hashes[h]};
    const int n = h == 0 ? 300 : 5000;   // all in one chain: quadratic, kept small
    for (int i = 0; i < n; ++i) ASSERT_EQ(r.put("value " + std::to_string(i)), static_cast<std::uint32_t>(i)) << h;
    EXPECT_EQ(r.index.size(), static_cast<std::size_t>(n));
    for (int i = n - 1; i >= 0; --i) {
      EXPECT_EQ(r.find("value " + std::to_string(i)), i) << h;
      EXPECT_EQ(r.put("value " + std::to_string(i)), static_cast<std::uint32_t>(i)) << "the first counts, " << h;
    }
    EXPECT_EQ(r.rows.size(), static_cast<std::size_t>(n)) << "nothing added twice";
    EXPECT_EQ(r.find("value " + std::to_string(n)), -1) << h;
    EXPECT_EQ(r.find(""), -1) << h;
    EXPECT_LE(r.index.bytes(), std::size_t{32} * static_cast<std::size_t>(n) + std::size_t{512}) << "at least a quarter full once grown";
    r.index.clear();
    EXPECT_EQ(r.find("value 0"), -1);
    EXPECT_EQ(r.index.bytes(), 0U);
  }
}

}  // namespace
