#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "store/sqlite/sqlite_db.h"
#include "store/sqlite/sqlite_seen.h"
#include "test_support.h"

namespace sendhub::sqlite {
namespace {

std::int64_t rows_in_table(Db& db) {
  Stmt s(db, "SELECT COUNT(*) FROM temp.seen");
  return s.step() ? s.integer(0) : -1;
}

// A first load keeps its keys in memory; past the limit they move to the table that the
// removal of unseen rows reads, and nothing noted before or after is lost.
TEST(SeenKeys, KeysInMemoryMoveToTheTablePastTheLimitAndStayKnown) {
  test::TempDir dir;
  Db db(dir / "s.db");
  std::size_t one_key = 0;   // what memory holds with one key: the limit below
  {
    SeenKeys probe(db);
    probe.restart();
    probe.note(1, "P0", "a.csv");
    one_key = probe.memory_bytes();
  }
  SeenKeys seen(db, one_key);
  seen.restart();
  for (int i = 0; i < 4; ++i) EXPECT_TRUE(seen.note(1, "P" + std::to_string(i), i % 2 ? "b.csv" : "a.csv"));
  EXPECT_FALSE(seen.note(1, "P1", "a.csv")) << "a key given twice";
  EXPECT_TRUE(seen.note(2, "P1", "a.csv")) << "the same key of another kind is another record";
  EXPECT_TRUE(seen.in_memory());
  EXPECT_EQ(rows_in_table(db), 0);
  int n = 4;   // keys of kind 1 so far; the table grows past its first size, and memory past the limit
  while (seen.in_memory() && n < 100000) EXPECT_TRUE(seen.note(1, "P" + std::to_string(n++), "a.csv"));
  ASSERT_FALSE(seen.in_memory());
  EXPECT_GT(n, 500) << "hundreds of short keys fit where one did";
  EXPECT_EQ(rows_in_table(db), n + 1);
  EXPECT_TRUE(seen.note(1, "Q", "b.csv"));
  for (int i = 0; i < n; i += 7) EXPECT_FALSE(seen.note(1, "P" + std::to_string(i), "a.csv")) << "a key noted in memory is still known in the table";
  EXPECT_FALSE(seen.note(2, "P1", "b.csv"));
  EXPECT_FALSE(seen.note(1, "Q", "a.csv"));
  EXPECT_EQ(seen.file_of(1, "P1"), "b.csv");
  EXPECT_EQ(seen.file_of(1, "P2"), "a.csv");
  EXPECT_EQ(seen.file_of(1, "Q"), "b.csv");
  EXPECT_EQ(seen.file_of(1, "P9999999"), "");
  seen.clear();
  EXPECT_EQ(rows_in_table(db), 0);
  EXPECT_TRUE(seen.note(1, "P1", "a.csv")) << "a new reading starts with no key";
}

// In memory, keys are told apart by every byte and by kind, however many share a hash slot.
TEST(SeenKeys, InMemoryEveryKeyIsFoundAgainAndNoOtherIs) {
  test::TempDir dir;
  Db db(dir / "s.db");
  SeenKeys seen(db);
  seen.restart();
  std::vector<std::string> keys;
  keys.reserve(20001);
  for (int i = 0; i < 20000; ++i) keys.push_back(std::string(static_cast<std::size_t>(i % 40), 'x') + std::to_string(i));
  keys.emplace_back(300, 'L');   // a long key
  for (std::size_t i = 0; i < keys.size(); ++i) ASSERT_TRUE(seen.note(static_cast<int>(i % 3), keys[i], i % 2 ? "b" : "a")) << i;
  EXPECT_TRUE(seen.in_memory());
  EXPECT_EQ(rows_in_table(db), 0);
  for (std::size_t i = 0; i < keys.size(); ++i) {
    EXPECT_FALSE(seen.note(static_cast<int>(i % 3), keys[i], "c")) << i;
    EXPECT_EQ(seen.file_of(static_cast<int>(i % 3), keys[i]), i % 2 ? "b" : "a") << i;
    EXPECT_EQ(seen.file_of(static_cast<int>((i + 1) % 3), keys[i]), "") << "another kind: " << i;
  }
  EXPECT_EQ(seen.file_of(0, keys[0] + "x"), "");
  EXPECT_EQ(seen.file_of(0, ""), "");
}

TEST(SeenKeys, PastABudgetTooSmallForOneKeyTheyAreInTheTableFromTheFirst) {
  test::TempDir dir;
  Db db(dir / "s.db");
  SeenKeys seen(db, 4);
  seen.restart();
  EXPECT_TRUE(seen.note(1, "P1", "a.csv"));
  EXPECT_FALSE(seen.in_memory());
  EXPECT_EQ(rows_in_table(db), 1);
  EXPECT_FALSE(seen.note(1, "P1", "b.csv"));
  EXPECT_EQ(seen.file_of(1, "P1"), "a.csv");
  seen.restart();
  EXPECT_EQ(rows_in_table(db), 0);
  EXPECT_TRUE(seen.note(1, "P1", "b.csv"));
  EXPECT_EQ(seen.file_of(1, "P1"), "b.csv");
}

// A re-read's removal: the stored keys it did not see, of its kind, listed in temp.unseen (and
// only those: a key seen as another kind's is not seen as this one's); the list starts afresh.
TEST(SeenKeys, TheStoredKeysNotSeenAreListedForTheRemoval) {
  test::TempDir dir;
  Db db(dir / "s.db");
  db.exec("CREATE TABLE stored (rkey TEXT)");
  for (int i = 0; i < 10; ++i) db.exec("INSERT INTO stored VALUES ('P" + std::to_string(i) + "')");
  SeenKeys seen(db);
  seen.restart();
  for (int i = 0; i < 8; ++i)
    if (i != 3) seen.note(1, "P" + std::to_string(i), "a.csv");
  seen.note(2, "P8", "a.csv");
  seen.note(1, "P10", "a.csv");   // new: not stored yet, never unseen
  Stmt stored(db, "SELECT rkey FROM stored ORDER BY rkey");
  EXPECT_EQ(seen.list_unseen(1, stored), 3);
  std::vector<std::string> listed;
  Stmt read(db, "SELECT kind, rkey FROM temp.unseen ORDER BY rkey");
  while (read.step()) listed.push_back(std::to_string(read.integer(0)) + ":" + read.text(1));
  EXPECT_EQ(listed, (std::vector<std::string>{"1:P3", "1:P8", "1:P9"}));
  EXPECT_EQ(seen.list_unseen(2, stored), 9) << "kind 2 saw only P8";
  Stmt count(db, "SELECT COUNT(*) FROM temp.unseen");
  ASSERT_TRUE(count.step());
  EXPECT_EQ(count.integer(0), 9) << "the list of kind 1 is gone";
  seen.restart();
  EXPECT_EQ(seen.list_unseen(1, stored), 10) << "nothing seen yet";
}

}  // namespace
}  // namespace sendhub::sqlite
