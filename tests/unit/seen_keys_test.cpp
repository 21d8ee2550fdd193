#include <gtest/gtest.h>

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
  SeenKeys seen(db, 5);
  seen.restart(true);
  for (int i = 0; i < 4; ++i) EXPECT_TRUE(seen.note(1, "P" + std::to_string(i), i % 2 ? "b.csv" : "a.csv"));
  EXPECT_FALSE(seen.note(1, "P1", "a.csv")) << "a key given twice";
  EXPECT_TRUE(seen.note(2, "P1", "a.csv")) << "the same key of another kind is another record";
  EXPECT_TRUE(seen.in_memory());
  EXPECT_EQ(rows_in_table(db), 0);
  EXPECT_TRUE(seen.note(1, "P4", "a.csv"));   // the sixth key: past the limit of five
  EXPECT_FALSE(seen.in_memory());
  EXPECT_EQ(rows_in_table(db), 6);
  EXPECT_TRUE(seen.note(1, "P5", "b.csv"));
  EXPECT_FALSE(seen.note(1, "P3", "a.csv")) << "a key noted in memory is still known in the table";
  EXPECT_FALSE(seen.note(1, "P5", "a.csv"));
  EXPECT_EQ(seen.file_of(1, "P1"), "b.csv");
  EXPECT_EQ(seen.file_of(1, "P2"), "a.csv");
  EXPECT_EQ(seen.file_of(1, "P5"), "b.csv");
  EXPECT_EQ(seen.file_of(1, "P9"), "");
  seen.clear();
  EXPECT_EQ(rows_in_table(db), 0);
  EXPECT_TRUE(seen.note(1, "P1", "a.csv")) << "a new reading starts with no key";
}

TEST(SeenKeys, KeysOfAReadingThatRemovesRowsAreInTheTableFromTheStart) {
  test::TempDir dir;
  Db db(dir / "s.db");
  SeenKeys seen(db, 4);
  seen.restart(false);
  EXPECT_TRUE(seen.note(1, "P1", "a.csv"));
  EXPECT_FALSE(seen.in_memory());
  EXPECT_EQ(rows_in_table(db), 1);
  EXPECT_FALSE(seen.note(1, "P1", "b.csv"));
  EXPECT_EQ(seen.file_of(1, "P1"), "a.csv");
  seen.restart(true);
  EXPECT_EQ(rows_in_table(db), 0);
  EXPECT_TRUE(seen.note(1, "P1", "b.csv"));
  EXPECT_EQ(seen.file_of(1, "P1"), "b.csv");
}

}  // namespace
}  // namespace sendhub::sqlite
