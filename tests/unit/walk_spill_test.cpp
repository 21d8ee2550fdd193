// The walk's copies past the budget wait in a temporary file in buckets (issue 30): each piece
// comes back as it went in, read alone or through a window reading bucket after bucket, in
// order, backwards, before and after the buffers are written; and a key's bucket never falls
// behind a key before it, whatever bytes the key holds.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include "pipeline/dataset_cache.h"
#include "pipeline/walk_spill.h"

namespace sendhub {
namespace {

// Pieces of every size from nothing to past a chunk, each byte telling whose it is.
std::vector<std::string> pieces(std::size_t n, std::mt19937& random) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t size = i % 97 == 0 ? 0 : i % 89 == 0 ? 40000 + i : random() % 4000;
    std::string p(size, '\0');
    for (std::size_t k = 0; k < size; ++k) p[k] = static_cast<char>((i * 131 + k) % 251);
    out.push_back(std::move(p));
  }
  return out;
}

TEST(WalkSpill, PiecesInBucketsComeBackAsTheyWentReadAloneOrBucketByBucket) {
  std::mt19937 random(7);
  const auto given = pieces(3000, random);
  std::vector<std::uint32_t> bucket(given.size());
  WalkSpill spill("a test", 64);
  for (std::size_t i = 0; i < given.size(); ++i) {
    bucket[i] = static_cast<std::uint32_t>(random() % 64);
    spill.add(given[i], bucket[i]);
    if (i % 500 == 7) {   // before anything is written: from the buffers
      std::string buffer;
      EXPECT_EQ(spill.read(i, buffer), given[i]);
      EXPECT_EQ(spill.read(i / 2, buffer), given[i / 2]);
    }
  }
  spill.flush();
  ASSERT_EQ(spill.size(), given.size());
  EXPECT_EQ(spill.bytes(), std::accumulate(given.begin(), given.end(), std::uint64_t{0},
                                           [](std::uint64_t n, const std::string& p) { return n + p.size(); }));
  std::vector<std::size_t> order(given.size());
  std::iota(order.begin(), order.end(), 0);
  std::shuffle(order.begin(), order.end(), random);
  std::string buffer;
  for (const std::size_t i : order) ASSERT_EQ(spill.read(i, buffer), given[i]) << i;
  // Bucket after bucket (as a walk by key asks), then backwards (as the return's order would).
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return bucket[a] < bucket[b]; });
  WalkSpill::Window forward;
  for (const std::size_t i : order) ASSERT_EQ(forward.read(spill, i), given[i]) << i;
  WalkSpill::Window backward;
  for (auto i = order.rbegin(); i != order.rend(); ++i) ASSERT_EQ(backward.read(spill, *i), given[*i]) << *i;
  WalkSpill::Window alone(false);
  for (const std::size_t i : order) ASSERT_EQ(alone.read(spill, i), given[i]) << i;
}

// Past the budget, the copies held in memory go to the file all at once, bucket by bucket, each
// emptied as it goes; the walk's next copies follow one by one.
TEST(WalkSpill, PiecesHeldInMemoryGoInAllAtOnceAndComeBackInTheirPlaces) {
  std::mt19937 random(5);
  const auto given = pieces(2000, random);
  std::vector<std::uint16_t> bucket(given.size());
  for (auto& b : bucket) b = static_cast<std::uint16_t>(random() % 32);
  WalkSpill spill("a test", 32);
  spill.add(given[0], bucket[0]);
  std::vector<std::string> held(given.begin() + 1, given.begin() + 1500);
  spill.add_all(held, std::vector<std::uint16_t>(bucket.begin() + 1, bucket.begin() + 1500));
  EXPECT_TRUE(std::all_of(held.begin(), held.end(), [](const std::string& p) { return p.capacity() < 16; })) << "freed";
  for (std::size_t i = 1500; i < given.size(); ++i) spill.add(given[i], bucket[i]);
  spill.flush();
  ASSERT_EQ(spill.size(), given.size());
  std::string buffer;
  for (std::size_t i = 0; i < given.size(); ++i) ASSERT_EQ(spill.read(i, buffer), given[i]) << i;
  std::vector<std::size_t> order(given.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return bucket[a] < bucket[b]; });
  WalkSpill::Window window;
  for (const std::size_t i : order) ASSERT_EQ(window.read(spill, i), given[i]) << i;
}

TEST(WalkSpill, ABucketTooLargeForAWindowIsReadPieceByPiece) {
  WalkSpill spill("a test", 4);
  std::vector<std::string> given;
  for (int i = 0; i < 300; ++i) {   // bucket 1: 9.6 MB, past what a window reads whole
    given.push_back(std::string(i % 3 == 1 ? 32000 : 100, static_cast<char>('a' + i % 26)));
    spill.add(given.back(), static_cast<std::uint32_t>(i % 3));
  }
  spill.flush();
  WalkSpill::Window window;
  for (std::uint32_t b = 0; b < 3; ++b)
    for (std::size_t i = b; i < given.size(); i += 3) ASSERT_EQ(window.read(spill, i), given[i]) << i;
}

TEST(WalkSpill, OneBucketIsAFileOfPiecesInOrder) {
  std::mt19937 random(11);
  const auto given = pieces(800, random);
  WalkSpill spill;
  for (const auto& p : given) spill.add(p);
  WalkSpill::Window window;
  for (std::size_t i = 0; i < given.size(); ++i) ASSERT_EQ(window.read(spill, i), given[i]) << i;
  spill.flush();
  std::string buffer;
  for (std::size_t i = given.size(); i-- > 0;) ASSERT_EQ(spill.read(i, buffer), given[i]) << i;
}

TEST(WalkSpill, AKeysBucketNeverFallsBehindAKeyBeforeIt) {
  std::mt19937_64 random(3);
  std::vector<std::string> keys = {"", "0", "00", "000000", "9", "9~", ":", "A", "Z", "a", "a/", "a:", "aa", "ad",
                                   "advice:ADV-1", "advice:zz", "caf", "caffffffff", "case:CASE-001", "case:~",
                                   "cb0", "f", "ffffffffffffffff", "fg", "g", "z", "~", "\x7f", "\x80", "\xff\xff"};
  std::map<std::uint32_t, int> count;
  for (int i = 0; i < 40000; ++i) {
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(random()));
    keys.emplace_back(hex);
    ++count[key_bucket(hex)];
  }
  std::sort(keys.begin(), keys.end());   // byte by byte, as the store orders them
  for (std::size_t i = 1; i < keys.size(); ++i) {
    ASSERT_LE(key_bucket(keys[i - 1]), key_bucket(keys[i])) << '"' << keys[i - 1] << "\" before \"" << keys[i] << '"';
    ASSERT_LT(key_bucket(keys[i]), kSpillBuckets) << keys[i];
  }
  // Person keys spread evenly: about 39 a bucket.
  EXPECT_EQ(count.size(), kSpillBuckets);
  for (const auto& [b, n] : count) EXPECT_LT(n, 2 * 40000 / static_cast<int>(kSpillBuckets)) << b;
}

}  // namespace
}  // namespace sendhub
