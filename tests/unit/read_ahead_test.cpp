// Issue 30: the first walk reads ahead on a thread of its own (store/read_ahead.h). Every item
// arrives, in order, whatever its size; the reader stays a bounded distance ahead; a visitor
// that gives up stops the reader; what stops the reader reaches the walk.
#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <set>
#include <stdexcept>
#include <string>

#include "store/read_ahead.h"

namespace sendhub {
namespace {

std::string item(int i) { return std::to_string(i) + std::string(static_cast<std::size_t>(i % 7 == 0 ? 300000 : i % 50), 'x'); }

TEST(ReadAhead, EveryItemArrivesInOrderWhateverItsSize) {
  int next = 0;
  read_ahead([](const ReadAheadEmit& emit) { for (int i = 0; i < 5000; ++i) emit(item(i)); },
             [&](std::string& bytes) {
               ASSERT_EQ(bytes, item(next)) << "item " << next;
               ++next;
             });
  EXPECT_EQ(next, 5000);
}

TEST(ReadAhead, AnEmptyReadVisitsNothing) {
  int visits = 0;
  read_ahead([](const ReadAheadEmit&) {}, [&](std::string&) { ++visits; });
  EXPECT_EQ(visits, 0);
}

TEST(ReadAhead, TheReaderStaysABoundedDistanceAhead) {
  std::atomic<int> emitted{0};
  int visited = 0, furthest = 0;
  read_ahead([&](const ReadAheadEmit& emit) { for (int i = 0; i < 20000; ++i, ++emitted) emit("x"); },
             [&](std::string&) {
               ++visited;
               furthest = std::max(furthest, emitted.load() - visited);
             },
             2);
  EXPECT_EQ(visited, 20000);
  // The batch being visited, two waiting and the one being filled: 64 items each.
  EXPECT_LE(furthest, 4 * 64);
}

TEST(ReadAhead, AVisitorThatGivesUpStopsTheReader) {
  std::atomic<long> emitted{0};
  int visits = 0;
  try {
    read_ahead([&](const ReadAheadEmit& emit) { for (;;) emit(std::to_string(++emitted)); },   // never ends by itself
               [&](std::string&) {
                 if (++visits == 1000) throw std::runtime_error("the sink failed");
               });
    FAIL() << "the visitor's error was lost";
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "the sink failed");
  }
  EXPECT_LT(emitted.load(), 1000 + 6 * 64) << "the reader stopped soon after";
}

TEST(ReadAhead, WhatStopsTheReaderReachesTheWalk) {
  int visits = 0;
  try {
    read_ahead([](const ReadAheadEmit& emit) {
                 for (int i = 0; i < 1000; ++i) emit("x");
                 throw std::runtime_error("the store could not be read");
               },
               [&](std::string&) { ++visits; });
    FAIL() << "the reader's error was lost";
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "the store could not be read");
  }
  EXPECT_LE(visits, 1000);
}

// A slot filled on the reading thread: the walk's groups decoded there (pipeline/dataset_cache).
struct NumberSlot {
  static std::atomic<int> made;
  NumberSlot() { ++made; }
  int n = -1;
  std::string text;   // its buffer used again slot after slot
};
std::atomic<int> NumberSlot::made{0};

TEST(ReadAhead, SlotsArriveInOrderAndAreUsedAgain) {
  NumberSlot::made = 0;
  SlotPool<NumberSlot> pool;
  int next = 0;
  std::set<const NumberSlot*> seen;
  read_ahead_slots<NumberSlot>(
      pool,
      [&](const std::function<void(std::unique_ptr<NumberSlot>)>& emit) {
        for (int i = 0; i < 20000; ++i) {
          std::unique_ptr<NumberSlot> s = pool.take();
          s->n = i;
          s->text = item(i % 100);
          emit(std::move(s));
        }
      },
      [&](NumberSlot& s) {
        ASSERT_EQ(s.n, next) << "slot " << next;
        ASSERT_EQ(s.text, item(next % 100));
        ++next;
        seen.insert(&s);
      });
  EXPECT_EQ(next, 20000);
  // The four batches waiting, the one being filled and the one being visited: 16 slots each,
  // made once and given back, however long the walk.
  EXPECT_LE(NumberSlot::made.load(), 6 * 16);
  EXPECT_EQ(seen.size(), static_cast<std::size_t>(NumberSlot::made.load()));
}

TEST(ReadAhead, WhatStopsASlotReaderReachesTheWalk) {
  SlotPool<NumberSlot> pool;
  int visits = 0;
  EXPECT_THROW(read_ahead_slots<NumberSlot>(
                   pool,
                   [&](const std::function<void(std::unique_ptr<NumberSlot>)>& emit) {
                     for (int i = 0; i < 100; ++i) emit(pool.take());
                     throw std::runtime_error("a damaged copy");
                   },
                   [&](NumberSlot&) { ++visits; }),
               std::runtime_error);
  EXPECT_LE(visits, 100);
}

}  // namespace
}  // namespace sendhub
