// The dataset's groups kept as bytes between runs (sqlite_group_copies.h, issue 30): a walk
// after a change reads from the record tables only the groups the change touched, only a run
// writes copies, and a damaged copy is an error, not a wrong group. The round-after-round test
// of incremental_link_test.cpp walks copies from its second round on.
#include <gtest/gtest.h>

#include "link_population.h"
#include "store/sqlite/sqlite_db.h"
#include "test_support.h"

namespace sendhub {
namespace {

using namespace link_test;

// How many groups the dataset has, and how many of them a file store keeps a copy of
// (sqlite_group_copies.h), read through a connection of the test's own.
std::pair<std::int64_t, std::int64_t> groups_and_copies(const std::string& path) {
  sqlite::Db db(path);
  sqlite::Stmt groups(db, "SELECT COUNT(DISTINCT grp) FROM dataset_member"), copies(db, "SELECT COUNT(*) FROM group_copy");
  return {groups.step() ? groups.integer(0) : -1, copies.step() ? copies.integer(0) : -1};
}

// A walk keeps a copy of each group, and after a night's change reads from the record tables
// only the groups the change touched; what it gives is what a walk of the tables gives (the
// rounds of incremental_link_test.cpp compare every record with a fresh store's, walk after
// walk of copies).
TEST(GroupCopies, AWalkAfterAChangeReadsOnlyTheGroupsItTouched) {
  test::TempDir dir;
  const std::string path = dir / "s.db";
  auto store = open_sqlite_store(path, kSchemas);
  ASSERT_TRUE(store->try_lock_run());
  Population population(0, true);   // forty children who share nothing
  for (int i = 0; i < 40; ++i) {
    const std::string n = std::to_string(i), ref = "P" + n;
    population.put(make(RecordKind::person, "cms", {{"person_ref", ref}, {"surname", "Surname" + n}, {"forename", "Amy"},
                                                    {"birth_date", "2014-01-01"}, {"upn", valid_upn(i)}}));
    population.put(make(RecordKind::request, "cms", {{"request_ref", "R" + n}, {"person_ref", ref}, {"received_date", "2024-01-10"}}));
    population.put(make(RecordKind::plan, "cms", {{"request_ref", "R" + n}, {"start_date", "2024-03-01"}}));
  }
  population.load(*store, store->begin_run("2026-01-15"));
  link(*store, true);
  EXPECT_EQ(groups_and_copies(path).second, 0) << "nothing walked yet";
  const std::string first = everything(*store);
  EXPECT_EQ(groups_and_copies(path), std::make_pair(std::int64_t{40}, std::int64_t{40})) << "the first walk keeps every group";
  EXPECT_EQ(everything(*store), first) << "a walk of copies gives what the tables gave";

  // One child's plan changes, another moves house: their two groups, and no other, are read again.
  population.put(make(RecordKind::plan, "cms", {{"request_ref", "R7"}, {"start_date", "2024-04-01"}}));
  population.put(make(RecordKind::person, "cms", {{"person_ref", "P9"}, {"surname", "Surname9"}, {"forename", "Amy"},
                                                  {"birth_date", "2014-01-01"}, {"upn", valid_upn(9)}, {"postcode", "BL9 0AB"}}));
  population.load(*store, store->begin_run("2026-01-15"));
  ASSERT_TRUE(link(*store, true).narrowed);
  EXPECT_EQ(groups_and_copies(path).second, 38) << "the two groups the change touched lost their copies";
  const std::string after = everything(*store);
  EXPECT_NE(after, first);
  EXPECT_EQ(groups_and_copies(path).second, 40) << "the walk kept them again";
  test::TempDir fresh_dir;
  auto fresh = open_sqlite_store(fresh_dir / "s.db", kSchemas);
  population.load(*fresh, fresh->begin_run("2026-01-15"));
  link(*fresh, false);
  EXPECT_EQ(after, everything(*fresh));

  link(*store, false);   // linking everything (a new rule, a new build) gives every copy up
  EXPECT_EQ(groups_and_copies(path).second, 0);
  EXPECT_EQ(everything(*store), after);
}

// Only a run (which holds the run lock) writes copies: `export` or `kpis` beside a run walk
// without writing, so neither waits on the other's write lock. They read the copies when every
// group has one, else the record tables, and give the same groups either way.
TEST(GroupCopies, AWalkWithoutTheRunLockWritesNothing) {
  test::TempDir dir;
  const std::string path = dir / "s.db";
  Population population(8);
  std::string walked;
  {
    auto store = open_sqlite_store(path, kSchemas);
    population.load(*store, store->begin_run("2026-01-15"));
    link(*store, true);
    walked = everything(*store);
    EXPECT_EQ(groups_and_copies(path).second, 0) << "no run lock: nothing kept";
  }
  {
    auto run = open_sqlite_store(path, kSchemas);
    ASSERT_TRUE(run->try_lock_run());
    EXPECT_EQ(everything(*run), walked);
    EXPECT_EQ(groups_and_copies(path).second, groups_and_copies(path).first);
  }
  auto reader = open_sqlite_store(path, kSchemas);
  EXPECT_EQ(everything(*reader), walked) << "every group has a copy: read from them";
  {
    sqlite::Db db(path);
    db.exec("UPDATE group_copy SET bytes = substr(bytes, 1, 3) WHERE rowid = (SELECT MIN(rowid) FROM group_copy)");
  }
  EXPECT_THROW(everything(*reader), Error) << "it did read the copies";
  {
    sqlite::Db db(path);
    db.exec("DELETE FROM group_copy WHERE rowid = (SELECT MIN(rowid) FROM group_copy)");
  }
  EXPECT_EQ(everything(*reader), walked) << "a group without a copy: the record tables, for all";
  EXPECT_EQ(groups_and_copies(path).second, groups_and_copies(path).first - 1) << "and nothing written";
}

// Copies are the caller's (CopyMaker): a walk under another mark (another precedence, a new
// build) makes every copy again, keeps those, and reads them from then on.
TEST(GroupCopies, AnotherMarkMakesEveryCopyAgain) {
  test::TempDir dir;
  const std::string path = dir / "s.db";
  auto store = linked_store(path, Population(7));
  everything(*store);
  const std::int64_t groups = groups_and_copies(path).first;
  ASSERT_EQ(groups_and_copies(path).second, groups);
  int made = 0;
  const CopyMaker other{"another way", [&](StoredGroup& g) {
                          ++made;
                          return "other " + g.key;
                        }};
  std::vector<std::string> walked;
  auto walk = [&] {
    walked.clear();
    store->each_copy(0, other, [&](const std::string& key, std::string_view copy) {
      EXPECT_EQ(copy, "other " + key);
      walked.emplace_back(copy);
    });
  };
  walk();
  EXPECT_EQ(made, groups) << "every copy made again";
  EXPECT_EQ(static_cast<std::int64_t>(walked.size()), groups);
  walk();
  EXPECT_EQ(made, groups) << "and read from then on";
  EXPECT_EQ(static_cast<std::int64_t>(walked.size()), groups);
}

// A copy damaged outside the hub is an error naming it, not a wrong group; the copies are
// given up and the next walk makes them again from the record tables.
TEST(GroupCopies, ADamagedCopyIsAnErrorAndTheNextWalkReadsTheTables) {
  test::TempDir dir;
  const std::string path = dir / "s.db";
  auto store = linked_store(path, Population(6));
  const std::string first = everything(*store);
  {
    sqlite::Db db(path);
    db.exec("UPDATE group_copy SET bytes = substr(bytes, 1, length(bytes) - 3) WHERE rowid = (SELECT MAX(rowid) FROM group_copy)");
  }
  try {
    everything(*store);
    ADD_FAILURE() << "a damaged copy was read";
  } catch (const Error& e) {
    EXPECT_EQ(e.rule(), "store.copy");
    EXPECT_NE(e.describe().find("group_copy"), std::string::npos) << e.describe();
  }
  EXPECT_EQ(groups_and_copies(path).second, 0);
  EXPECT_EQ(everything(*store), first);
  EXPECT_GT(groups_and_copies(path).second, 0);
}

}  // namespace
}  // namespace sendhub
