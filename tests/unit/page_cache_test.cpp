// The store's page cache follows the store's size (sqlite::page_cache_kib): 8 MiB for a council's
// store, about 1% of a larger one, never past 64 MiB; and the size it is worked out from is the
// database file's, its pages counted.
#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <string>

#include "store/sqlite/sqlite_db.h"
#include "test_support.h"

namespace sendhub {
namespace {

constexpr std::int64_t kMiB = std::int64_t{1024} * 1024;

TEST(PageCache, EightMibUntilTheStoreIsPast800MbThenAHundredthUpTo64Mib) {
  EXPECT_EQ(sqlite::page_cache_kib(0), 8192);
  EXPECT_EQ(sqlite::page_cache_kib(44 * kMiB), 8192);    // a council of 10,000
  EXPECT_EQ(sqlite::page_cache_kib(800 * kMiB), 8192);
  EXPECT_EQ(sqlite::page_cache_kib(1600 * kMiB), 16384);  // the demo at 100,000: 1.8 GB
  EXPECT_EQ(sqlite::page_cache_kib(6400 * kMiB), 65536);
  EXPECT_EQ(sqlite::page_cache_kib(18000 * kMiB), 65536);  // the demo at 1,000,000
}

TEST(PageCache, TheStoreSizeIsItsPagesAsTheFileHoldsThem) {
  test::TempDir dir;
  const std::string path = dir / "s.db";
  sqlite::Db db(path);
  db.exec("PRAGMA page_size=16384");
  db.exec("PRAGMA journal_mode=WAL");
  db.exec("CREATE TABLE t (k INTEGER PRIMARY KEY, v BLOB)");
  db.exec("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000) "
          "INSERT INTO t SELECT i, zeroblob(3000) FROM n");
  // Committed pages count before they reach the file (the WAL holds them).
  const std::int64_t bytes = sqlite::store_bytes(db);
  EXPECT_GT(bytes, 2000 * 3000);
  EXPECT_EQ(bytes % 16384, 0);
  db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
  EXPECT_EQ(static_cast<std::uintmax_t>(bytes), std::filesystem::file_size(path));
}

}  // namespace
}  // namespace sendhub
