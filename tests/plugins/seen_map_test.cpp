// The keys a connector has met (plugins/support/seen_map.h): a uniqueness rule's values, a
// FHIR feed's Tasks with the copy read last. The same answers in memory, in the database and
// moved there part-way.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <stdexcept>
#include <string>

#include "seen_map.h"

// The set a uniqueness rule keeps (plugins/support/seen_map.h): a value is new once, compared
// as bytes, however many values pass its cache.
TEST(SeenMap, AValueIsNewOnceComparedAsBytes) {
  plugin_support::SeenMap seen;
  EXPECT_TRUE(seen.insert("1|d2i.upn_twice|H351710213759"));
  EXPECT_FALSE(seen.insert("1|d2i.upn_twice|H351710213759"));
  EXPECT_TRUE(seen.insert("2|d2i.upn_twice|H351710213759")) << "another list";
  EXPECT_TRUE(seen.insert("1|d2i.upn_twice|h351710213759")) << "case matters";
  EXPECT_TRUE(seen.insert(std::string_view("a\0b", 3)));
  EXPECT_TRUE(seen.insert(std::string_view("a\0c", 3))) << "bytes after a NUL count";
  EXPECT_TRUE(seen.insert(""));
  EXPECT_FALSE(seen.insert(""));
}

// Held in memory, in its database from the start, and moved there part-way (a budget of 64
// KiB): the same answers, value for value, repeats before and after the move included.
TEST(SeenMap, GivesTheSameAnswersInMemoryInItsDatabaseAndMovedPartWay) {
  std::string first;
  for (const std::size_t budget : {plugin_support::SeenMap::kMemoryBytes, std::size_t{0}, std::size_t{64} << 10}) {
    plugin_support::SeenMap seen(budget);
    std::string answers;
    for (int i = 0; i < 20000; ++i) {
      const std::string v = "1|d2i.upn_twice|H" + std::to_string(i * 7919 % 6007) + std::string(i % 3, '\0');
      answers += seen.insert(v) ? '1' : '0';
    }
    EXPECT_EQ(seen.in_file(), budget != plugin_support::SeenMap::kMemoryBytes) << "budget " << budget;
    EXPECT_EQ(std::count(answers.begin(), answers.end(), '1'), 6007 * 3) << "budget " << budget;
    if (first.empty()) first = answers;
    EXPECT_EQ(answers, first) << "budget " << budget;
    EXPECT_FALSE(seen.insert("1|d2i.upn_twice|H0")) << "budget " << budget;
    EXPECT_TRUE(seen.insert("1|d2i.upn_twice|H0\n")) << "budget " << budget;
  }
}

TEST(SeenMap, ASetLargerThanItsCacheForgetsNothing) {
  plugin_support::SeenMap seen;
  const auto value = [](int i) { return "1|d2i.upn_twice|" + std::string(40, 'A' + i % 26) + std::to_string(static_cast<std::int64_t>(i) * 7919 % 400009); };
  int fresh = 0;
  for (int i = 0; i < 400000; ++i) fresh += seen.insert(value(i));
  EXPECT_EQ(fresh, 400000);
  int again = 0;
  for (int i = 0; i < 400000; i += 97) again += seen.insert(value(i));
  EXPECT_EQ(again, 0);
}

namespace {

std::string eight_bytes(std::uint64_t n) {
  std::string v(8, '\0');
  for (int b = 0; b < 8; ++b) v[static_cast<std::size_t>(b)] = static_cast<char>((n >> (8 * b)) & 0xff);
  return v;
}

std::uint64_t number(const std::string& v) {
  std::uint64_t n = 0;
  for (int b = 7; b >= 0; --b) n = (n << 8) | static_cast<unsigned char>(v[static_cast<std::size_t>(b)]);
  return n;
}

}  // namespace

// As the FHIR feed keeps its Tasks: a key's value read back and replaced by a later one, the
// same in memory, in the database and moved there part-way (the move carries the values).
TEST(SeenMap, KeepsEachKeysValueAndItsReplacementWhereverItIsHeld) {
  std::string first;
  for (const std::size_t budget : {plugin_support::SeenMap::kMemoryBytes, std::size_t{0}, std::size_t{64} << 10}) {
    plugin_support::SeenMap copies(budget, 8);
    std::string answers;
    for (std::uint64_t i = 0; i < 20000; ++i) {
      const std::string task = "Task/" + std::to_string(i * 7919 % 6007);
      const std::uint64_t version = i % 3 == 0 ? i : i / 2;   // some later reads are older copies
      if (copies.insert(task, eight_bytes(version))) {
        answers += "new ";
        continue;
      }
      const std::uint64_t kept = number(copies.value(task));
      answers += std::to_string(kept) + (version >= kept ? "<" : ">") + " ";
      if (version >= kept) copies.assign(task, eight_bytes(version));
    }
    EXPECT_EQ(copies.in_file(), budget != plugin_support::SeenMap::kMemoryBytes) << "budget " << budget;
    for (std::uint64_t t = 0; t < 6007; t += 101) {   // the highest version of each key won
      std::uint64_t highest = 0;
      for (std::uint64_t i = 0; i < 20000; ++i)
        if (i * 7919 % 6007 == t) highest = std::max(highest, i % 3 == 0 ? i : i / 2);
      EXPECT_EQ(number(copies.value("Task/" + std::to_string(t))), highest) << "budget " << budget << ", Task/" << t;
    }
    if (first.empty()) first = answers;
    EXPECT_EQ(answers, first) << "budget " << budget;
  }
}

TEST(SeenMap, RefusesAValueOfAnotherWidthAndAKeyNotThere) {
  for (const std::size_t budget : {plugin_support::SeenMap::kMemoryBytes, std::size_t{0}}) {
    plugin_support::SeenMap copies(budget, 8);
    EXPECT_THROW(copies.insert("Task/1", "short"), std::invalid_argument) << "budget " << budget;
    EXPECT_THROW(copies.insert("Task/1"), std::invalid_argument) << "budget " << budget;
    ASSERT_TRUE(copies.insert("Task/1", eight_bytes(7)));
    EXPECT_THROW(copies.assign("Task/1", "123456789"), std::invalid_argument) << "budget " << budget;
    EXPECT_THROW(copies.value("Task/2"), std::invalid_argument) << "budget " << budget;
    EXPECT_THROW(copies.assign("Task/2", eight_bytes(1)), std::invalid_argument) << "budget " << budget;
    EXPECT_EQ(number(copies.value("Task/1")), 7u) << "nothing refused was kept, budget " << budget;
  }
}
