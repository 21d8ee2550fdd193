// The sorted spill sinks keep long lists in (case tracker, readiness report): rows come
// back by key as bytes, rows of one key in the order added, however many there are, whether
// held in memory or moved to the database.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "sorted_spill.h"

namespace {

TEST(SortedSpill, RowsComeBackByKeyThenInTheOrderAdded) {
  for (const std::size_t budget : {plugin_support::SortedSpill::kMemoryBytes, std::size_t{0}}) {
    plugin_support::SortedSpill spill(budget);
    spill.add("b", "1");
    spill.add("a\x1f" "z", "2");
    spill.add("b", "3");
    spill.add("a", "4");
    spill.add("\xc3\xa9", "5");   // a UTF-8 byte sorts after ASCII
    spill.add("a\x1f" "b", "6");
    std::string order;
    spill.each([&](std::string_view, std::string_view row) { order += row; });
    EXPECT_EQ(order, "462135") << "budget " << budget;
    EXPECT_EQ(spill.size(), 6);
  }
}

TEST(SortedSpill, AListLargerThanItsCacheStaysInOrder) {
  plugin_support::SortedSpill spill;
  const std::string payload(200, 'x');
  for (int i = 0; i < 100000; ++i) {
    char key[16];
    std::snprintf(key, sizeof key, "%08d", (i * 7919) % 100000);
    spill.add(key, payload + std::to_string(i));
  }
  std::string last;
  long n = 0;
  bool ordered = true;
  spill.each([&](std::string_view key, std::string_view row) {
    ordered = ordered && std::string(key) >= last && row.substr(0, 200) == payload;
    last = key;
    ++n;
  });
  EXPECT_TRUE(ordered);
  EXPECT_EQ(n, 100000);
  EXPECT_TRUE(spill.in_file()) << "21 MB of rows pass the 4 MiB budget";
}

// Held in memory, in its database from the first row, and moved there part-way (a budget of 64
// KiB): the same rows in the same order, keys of bytes above 0x7f and repeated keys included.
TEST(SortedSpill, GivesTheSameOrderInMemoryInItsDatabaseAndMovedPartWay) {
  std::string first;
  for (const std::size_t budget : {plugin_support::SortedSpill::kMemoryBytes, std::size_t{0}, std::size_t{64} << 10}) {
    plugin_support::SortedSpill spill(budget);
    for (int i = 0; i < 5000; ++i) {
      std::string key = std::to_string(i * 7919 % 997) + (i % 5 == 0 ? "\xc3\xa9" : "") + std::string(i % 3, '\0');
      spill.add(key, "row " + std::to_string(i) + std::string(static_cast<std::size_t>(i % 40), 'x'));
    }
    EXPECT_EQ(spill.in_file(), budget != plugin_support::SortedSpill::kMemoryBytes) << "budget " << budget;
    EXPECT_EQ(spill.size(), 5000);
    std::string seen, last;
    bool ordered = true;
    spill.each([&](std::string_view key, std::string_view row) {
      ordered = ordered && std::string(key) >= last;
      last = key;
      seen.append(key).append(1, '=').append(row).append(1, '\n');
    });
    EXPECT_TRUE(ordered) << "budget " << budget;
    if (first.empty()) first = seen;
    EXPECT_EQ(seen, first) << "budget " << budget;
  }
}

TEST(SortedSpill, AnEmptySpillVisitsNothing) {
  plugin_support::SortedSpill spill;
  int n = 0;
  spill.each([&](std::string_view, std::string_view) { ++n; });
  EXPECT_EQ(n, 0);
}

}  // namespace
