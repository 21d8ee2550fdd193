// The store's WAL copied back into its file on a thread of its own (sqlite_checkpointer.h): a
// large commit returns without copying, the pages reach the database file soon after, what was
// committed reads the same throughout, and once the checkpointer ends SQLite checkpoints on
// commit again; and the run's commits are synced from its last one on.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "store/sqlite/sqlite_checkpointer.h"
#include "store/sqlite/sqlite_db.h"
#include "test_support.h"

namespace sendhub {
namespace {

constexpr std::uintmax_t kRows = 2500, kRowBytes = 4000;   // ~10 MB: past 1,000 pages of 4 KiB

void write_rows(sqlite::Db& db, int from) {
  db.exec("BEGIN");
  sqlite::Stmt put(db, "INSERT INTO t VALUES (?1, ?2)");
  for (std::uintmax_t i = 0; i < kRows; ++i)
    put.reset().bind(1, std::int64_t(from) + static_cast<std::int64_t>(i)).bind_blob(2, std::string(kRowBytes, 'x')).run();
  db.exec("COMMIT");
}

std::int64_t rows(sqlite::Db& db) {
  sqlite::Stmt n(db, "SELECT COUNT(*) FROM t");
  return n.step() ? n.integer(0) : -1;
}

// Whether the database file (not its WAL) reaches `bytes` within `seconds`.
bool file_reaches(const std::string& path, std::uintmax_t bytes, int seconds) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  while (std::filesystem::file_size(path) < bytes) {
    if (std::chrono::steady_clock::now() > until) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return true;
}

// A store-like file: WAL, 4 KiB pages, one table; `pragma` more before the table is made.
void make_table(sqlite::Db& db, const std::string& pragma = "") {
  db.exec("PRAGMA page_size=4096");
  db.exec("PRAGMA journal_mode=WAL");
  if (!pragma.empty()) db.exec(pragma);
  db.exec("CREATE TABLE t (k INTEGER PRIMARY KEY, v BLOB)");
}

TEST(Checkpointer, CopiesTheWalBackBesideTheWriterAndHandsBackToSqliteWhenItEnds) {
  test::TempDir dir;
  const std::string path = dir / "s.db";
  sqlite::Db db(path);
  make_table(db);
  const std::uintmax_t written = kRows * kRowBytes;
  {
    sqlite::Checkpointer checkpointer(db);
    write_rows(db, 0);
    EXPECT_EQ(rows(db), static_cast<std::int64_t>(kRows));
    EXPECT_TRUE(file_reaches(path, written, 30)) << "the checkpointer copied the committed pages into the file";
    EXPECT_EQ(rows(db), static_cast<std::int64_t>(kRows));
    sqlite::Db reader(path);   // another connection reads the same, from the file and the WAL
    EXPECT_EQ(rows(reader), static_cast<std::int64_t>(kRows));
  }
  // Ended: a large commit checkpoints on the committing thread again, before it returns.
  write_rows(db, static_cast<int>(kRows));
  EXPECT_GE(std::filesystem::file_size(path), 2 * written) << "SQLite's own checkpoint on commit is back";
  EXPECT_EQ(rows(db), static_cast<std::int64_t>(2 * kRows));
}

// A reader's older snapshot holds the checkpoint back; once it lets go, what was left is copied
// with no commit since (the checkpointer tries again, less often each time, until all is copied).
TEST(Checkpointer, WhatAReaderHeldBackIsCopiedOnceItLetsGoWithoutAnotherCommit) {
  test::TempDir dir;
  const std::string path = dir / "s.db";
  sqlite::Db db(path);
  make_table(db);
  sqlite::Db reader(path);
  reader.exec("BEGIN");
  EXPECT_EQ(rows(reader), 0);   // its snapshot: before the rows below
  const std::uintmax_t written = kRows * kRowBytes;
  sqlite::Checkpointer checkpointer(db);
  write_rows(db, 0);
  EXPECT_FALSE(file_reaches(path, written, 1)) << "the reader's snapshot holds the pages in the WAL";
  reader.exec("COMMIT");
  EXPECT_TRUE(file_reaches(path, written, 20)) << "copied once the reader let go, with no commit since";
  EXPECT_EQ(rows(db), static_cast<std::int64_t>(kRows));
}

// Without the checkpointer and with SQLite's automatic checkpoints off, the same commit leaves its
// pages in the WAL: what the test above sees is the checkpointer's doing.
TEST(Checkpointer, WithoutItTheCommittedPagesStayInTheWal) {
  test::TempDir dir;
  const std::string path = dir / "s.db";
  sqlite::Db db(path);
  make_table(db, "PRAGMA wal_autocheckpoint=0");
  write_rows(db, 0);
  EXPECT_FALSE(file_reaches(path, kRows * kRowBytes, 1));
  EXPECT_EQ(rows(db), static_cast<std::int64_t>(kRows));
}

std::int64_t synchronous(sqlite::Db& db) {
  sqlite::Stmt s(db, "PRAGMA synchronous");
  return s.step() ? s.integer(0) : -1;
}

// A run's commits are not synced one by one (NORMAL, 1) until its last one (FULL, 2); once
// the checkpointer ends every commit is synced again, though the run never said it ended.
TEST(Checkpointer, TheRunsCommitsAreSyncedFromItsLastOneOn) {
  test::TempDir dir;
  sqlite::Db db(dir / "s.db");
  make_table(db, "PRAGMA synchronous=FULL");
  ASSERT_EQ(synchronous(db), 2);
  {
    sqlite::Checkpointer checkpointer(db);
    EXPECT_EQ(synchronous(db), 1);
    write_rows(db, 0);
    EXPECT_EQ(synchronous(db), 1);
    checkpointer.sync_each_commit();
    EXPECT_EQ(synchronous(db), 2);
  }
  {
    const sqlite::Checkpointer checkpointer(db);
    EXPECT_EQ(synchronous(db), 1);
  }
  EXPECT_EQ(synchronous(db), 2);
  EXPECT_EQ(rows(db), static_cast<std::int64_t>(kRows));
}

}  // namespace
}  // namespace sendhub
