#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "store/migrations.h"
#include "store/record_rows.h"
#include "store/sqlite/sqlite_db.h"
#include "store/sqlite/sqlite_seen.h"
#include "store/store.h"
#include "pg_pool.h"
#include "store/pg/pg_db.h"
#include "test_support.h"

namespace sendhub {
namespace {

using test::TempDir;

const std::string kSchemas = SENDHUB_SOURCE_DIR "/schemas";

Record person(const std::string& ref, const std::string& surname, std::int64_t line = 1) {
  Record r(RecordKind::person);
  r.set("person_ref", ref).set("surname", surname).set("birth_date", "2015-05-01");
  r.origin = Where{"people.csv", line, ""};
  return r;
}

// A record's row_hash decides whether it is written again: a build that hashed the same record
// otherwise (sixteen lower-case hex digits of FNV-1a over its fields and return year) would
// rewrite every row of every store on its first run.
TEST(RowHash, IsTheHashEveryStoredRowWasWrittenWith) {
  EXPECT_EQ(store::row_hash(person("P1", "Smith")), "86937f499afb51fb");
}

class StoreTest : public ::testing::Test {
 protected:
  TempDir dir_;
  std::string path_ = dir_ / "s.db";
};

// The store's contract, run against both stores: SQLite, and a council's part of a
// PostgreSQL pool (skipped without a test server, never in CI).
class EveryStore : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() == "postgresql") {
      SENDHUB_REQUIRE_PG();
      pool_ = std::make_unique<test::TestPool>(kSchemas);
      conninfo_ = pool_->council("E09000001");
    }
  }
  std::unique_ptr<Store> open() {
    return pool_ ? pool_->open(conninfo_, kSchemas) : open_sqlite_store(path_, kSchemas);
  }
  // What an administrator (or another process) does to the store's tables directly.
  void admin_sql(const std::string& sql) {
    if (pool_) {
      pg::Db(pool_->admin_conninfo(), test::TestPool::kAdminPassword).exec(sql);
      return;
    }
    sqlite3* db = nullptr;
    sqlite3_open(path_.c_str(), &db);
    sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr);
    sqlite3_close(db);
  }
  TempDir dir_;
  std::string path_ = dir_ / "s.db";
  std::unique_ptr<test::TestPool> pool_;
  std::string conninfo_;
};

INSTANTIATE_TEST_SUITE_P(Stores, EveryStore, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& store) { return store.param; });

TEST_F(StoreTest, CreatesAPrivateFileInWalModeWithEveryCanonicalField) {
  auto store = open_sqlite_store(path_, kSchemas);
  struct stat st {};
  ASSERT_EQ(::stat(path_.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600);
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
  // records.h and schemas/sql must agree: every field of every kind is a column.
  for (const auto& kind : kKinds) {
    std::set<std::string> columns;
    sqlite3_stmt* st2 = nullptr;
    std::string sql = "PRAGMA table_info(" + std::string(kind.name) + ")";
    sqlite3_prepare_v2(db, sql.c_str(), -1, &st2, nullptr);
    while (sqlite3_step(st2) == SQLITE_ROW) columns.insert(reinterpret_cast<const char*>(sqlite3_column_text(st2, 1)));
    sqlite3_finalize(st2);
    for (const auto& f : kind.fields) EXPECT_TRUE(columns.count(std::string(f.name))) << kind.name << "." << f.name;
  }
  sqlite3_stmt* mode = nullptr;
  sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &mode, nullptr);
  ASSERT_EQ(sqlite3_step(mode), SQLITE_ROW);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(mode, 0)), "wal");
  sqlite3_finalize(mode);
  sqlite3_close(db);
}

TEST_P(EveryStore, TellsStoredFromUnchangedAndKeepsLineage) {
  auto store = open();
  auto run = store->begin_run("2026-01-15");
  store->begin();
  auto written = [&](const Record& r, const std::string& source) {
    store->write(r, source, run);
    const Store::Written w = store->settle();
    return w.stored == 1 ? "stored" : w.unchanged == 1 ? "unchanged" : "?";
  };
  EXPECT_STREQ(written(person("P1", "Ashby"), "cms"), "stored");
  EXPECT_STREQ(written(person("P1", "Ashby"), "cms"), "unchanged");
  EXPECT_STREQ(written(person("P1", "Ashby-Brook"), "cms"), "stored");
  EXPECT_STREQ(written(person("P1", "Ashby"), "other"), "stored");  // keys are per source
  store->commit();
  auto people = store->read(RecordKind::person, 0);
  ASSERT_EQ(people.size(), 2u);
  EXPECT_EQ(people[0].get("surname"), "Ashby-Brook");
  EXPECT_EQ(people[0].origin.file, "people.csv");
  EXPECT_EQ(people[0].origin.line, 1);
}

// A record whose values did not change but whose line did (a row deleted above it in a
// re-export) is stored again, with its new line, so reports name where it is now; given again by
// another file, or without lines (a FHIR Task, whose place in a page depends on the query), it
// stays as it was stored.
TEST_P(EveryStore, ARecordMovedWithinItsFileIsStoredWithItsNewLine) {
  auto store = open();
  auto run = store->begin_run("2026-01-15");
  store->begin();
  auto written = [&](Record r, const Where& at) {
    r.origin = at;
    store->write(r, "cms", run);
    const Store::Written w = store->settle();
    return w.stored == 1 ? "stored" : w.unchanged == 1 ? "unchanged" : "?";
  };
  EXPECT_STREQ(written(person("P1", "Ashby"), {"people.csv", 5, ""}), "stored");
  EXPECT_STREQ(written(person("P1", "Ashby"), {"people.csv", 5, ""}), "unchanged");
  EXPECT_STREQ(written(person("P1", "Ashby"), {"people.csv", 4, ""}), "stored") << "moved up a line";
  EXPECT_STREQ(written(person("P1", "Ashby"), {"people-2.csv", 9, ""}), "unchanged") << "another file's copy";
  EXPECT_STREQ(written(person("P2", "Brook"), {"fhir/Task", 0, "page 1 Bundle.entry[0]"}), "stored");
  EXPECT_STREQ(written(person("P2", "Brook"), {"fhir/Task", 0, "page 2 Bundle.entry[3]"}), "unchanged");
  store->commit();
  auto people = store->read(RecordKind::person, 0);
  ASSERT_EQ(people.size(), 2u);   // by file, then line
  EXPECT_EQ(people[0].origin.path, "page 1 Bundle.entry[0]");
  EXPECT_EQ(people[1].origin.file, "people.csv");
  EXPECT_EQ(people[1].origin.line, 4);
}

TEST_P(EveryStore, AReturnYearWrittenTwiceInOneTransactionIsNotedAsChanged) {
  auto store = open();
  auto run = store->begin_run("2026-01-15");
  store->begin();
  Record p = person("P1", "Ashby");
  p.return_year = 2026;
  store->write(p, "cms", run);
  store->write(p, "cms", run);   // the same key again: a server store sends the first one apart
  store->settle();
  store->data_changed();
  store->commit();
  EXPECT_NE(store->year_version(2026), "") << "the year's validation would be reused although its records changed";
}

TEST_P(EveryStore, RollbackLeavesTheStoreAsItWas) {
  auto store = open();
  auto run = store->begin_run("2026-01-15");
  store->begin();
  store->write(person("P1", "Ashby"), "cms", run);
  store->commit();
  store->begin();
  store->write(person("P2", "Brook"), "cms", run);
  store->write(person("P1", "Changed"), "cms", run);
  store->quarantine(run, "cms", Error(Where{"f", 3, ""}, "x", "r", "bad"), "raw");
  store->rollback();
  auto people = store->read(RecordKind::person, 0);
  ASSERT_EQ(people.size(), 1u);
  EXPECT_EQ(people[0].get("surname"), "Ashby");
}

TEST_P(EveryStore, AFileReadAgainReplacesItsOwnEarlierRecordsOnly) {
  auto store = open();
  auto run = store->begin_run("2026-01-15");
  store->begin();
  store->begin_file("cms", "people.csv");
  for (const auto& r : {person("P1", "A"), person("P2", "B")}) {
    EXPECT_TRUE(store->keep(r));
    store->write(r, "cms", run);
  }
  EXPECT_FALSE(store->keep(person("P1", "A"))) << "a key kept twice in one file is a duplicate";
  store->end_file("cms", {"people.csv"});
  Record other = person("P9", "Z");
  other.origin.file = "other.csv";
  store->write(other, "cms", run);
  // The corrected file no longer has P2, and P1's new version was quarantined: P1 stays.
  store->begin_file("cms", "people.csv");
  store->keep(person("P1", "bad"));
  EXPECT_EQ(store->end_file("cms", {"people.csv"}), 1);
  store->commit();
  std::set<std::string> refs;
  for (const auto& r : store->read(RecordKind::person, 0)) refs.insert(r.get("person_ref"));
  EXPECT_EQ(refs, (std::set<std::string>{"P1", "P9"}));
}

// A re-read whose keys pass their memory (a national export) finds the rows it no longer gives
// through the table of keys seen, as one held in memory finds them through the list of those
// not seen: the same rows go, and the same link changes are noted (none before a linking).
TEST(SqliteStore, AReReadRemovesTheSameRowsWhetherItsKeysStayInMemoryOrNot) {
  std::vector<std::string> outcomes;
  for (const std::size_t budget : {sqlite::SeenKeys::kMemoryBytes, std::size_t{4}}) {
    sqlite::SeenKeys::store_memory_bytes = budget;
    test::TempDir dir;
    auto store = open_sqlite_store(dir / "s.db", kSchemas);
    auto run = store->begin_run("2026-01-15");
    store->begin();
    store->begin_file("cms", "people.csv");
    for (const auto& r : {person("P1", "A"), person("P2", "B"), person("P3", "C")}) {
      ASSERT_TRUE(store->keep(r));
      store->write(r, "cms", run);
    }
    store->end_file("cms", {"people.csv"});
    store->commit();
    store->begin();
    store->begin_file("cms", "people.csv");
    for (const auto& r : {person("P1", "A"), person("P3", "C")}) {
      ASSERT_TRUE(store->keep(r));
      store->write(r, "cms", run);
    }
    EXPECT_FALSE(store->keep(person("P3", "C"))) << "budget " << budget;
    std::string outcome = std::to_string(store->end_file("cms", {"people.csv"})) + " removed;";
    store->commit();
    for (const auto& r : store->read(RecordKind::person, 0)) outcome += " " + r.get("person_ref");
    sqlite::Db db(dir / "s.db");
    sqlite::Stmt changed(db, "SELECT kind, source, ref FROM link_changes ORDER BY 1, 2, 3");
    while (changed.step()) outcome += " changed:" + changed.text(0) + "/" + changed.text(1) + "/" + changed.text(2);
    outcomes.push_back(outcome);
  }
  sqlite::SeenKeys::store_memory_bytes = sqlite::SeenKeys::kMemoryBytes;
  ASSERT_EQ(outcomes.size(), 2u);
  EXPECT_EQ(outcomes[0], "1 removed; P1 P3") << "in memory (a first load notes no link change)";
  EXPECT_EQ(outcomes[1], outcomes[0]) << "through the table";
}

// A first load of several files skips looking for what a file it reads for the first time no
// longer gives; a file read again in the same transaction is still looked at, in memory and
// past it.
TEST(SqliteStore, AFileReadAgainInItsFirstLoadStillRemovesWhatItNoLongerGives) {
  for (const std::size_t budget : {sqlite::SeenKeys::kMemoryBytes, std::size_t{4}}) {
    sqlite::SeenKeys::store_memory_bytes = budget;
    test::TempDir dir;
    auto store = open_sqlite_store(dir / "s.db", kSchemas);
    auto run = store->begin_run("2026-01-15");
    auto read = [&](const std::string& file, const std::vector<Record>& records) {
      store->begin_file("cms", file);
      for (Record r : records) {
        r.origin.file = file;
        EXPECT_TRUE(store->keep(r));
        store->write(r, "cms", run);
      }
      return store->end_file("cms", {file});
    };
    store->begin();
    EXPECT_EQ(read("a.csv", {person("P1", "A"), person("P2", "B", 2)}), 0);
    EXPECT_EQ(read("b.csv", {person("Q1", "C")}), 0);
    EXPECT_EQ(read("a.csv", {person("P1", "A")}), 1) << "budget " << budget;
    store->commit();
    std::set<std::string> refs;
    for (const auto& r : store->read(RecordKind::person, 0)) refs.insert(r.get("person_ref"));
    EXPECT_EQ(refs, (std::set<std::string>{"P1", "Q1"})) << "budget " << budget;
  }
  sqlite::SeenKeys::store_memory_bytes = sqlite::SeenKeys::kMemoryBytes;
}

// The store's named indexes and the rows each holds, read through a connection of its own.
std::string indexes_of(const std::string& path) {
  sqlite::Db db(path);
  std::string out;
  sqlite::Stmt names(db, "SELECT name, tbl_name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY 1");
  while (names.step()) {
    sqlite::Stmt rows(db, "SELECT COUNT(*) FROM " + names.text(1) + " INDEXED BY " + names.text(0));
    out += names.text(0) + "=" + (rows.step() ? rows.text(0) : "?") + " ";
  }
  return out;
}

// A first load takes the secondary indexes off the tables it fills first and builds them again
// before it commits: the store ends with every index, holding every row, as one written with
// its indexes in place; a rollback leaves them as they were, and the next load commits.
TEST(SqliteStore, AFirstLoadsIndexesAreBuiltBeforeItCommitsAndARollbackKeepsThem) {
  test::TempDir dir;
  const std::string path = dir / "s.db";
  auto store = open_sqlite_store(path, kSchemas);
  const std::string empty = indexes_of(path);
  ASSERT_NE(empty.find("person_year=0 "), std::string::npos) << empty;
  auto run = store->begin_run("2026-01-15");
  store->begin();
  store->begin_file("sen2", "sen2_2026.xml");
  store->write(person("P1", "A"), "sen2", run);
  store->rollback();
  EXPECT_EQ(indexes_of(path), empty) << "a rolled-back first load";
  for (const char* source : {"sen2", "cms"}) {   // the second finds the table filled: its indexes stay
    store->begin();
    store->begin_file(source, "people.csv");
    for (const auto& r : {person("P1", "A"), person("P2", "B", 2)}) store->write(r, source, run);
    store->end_file(source, {"people.csv"});
    store->commit();
  }
  std::string expected = empty;
  expected.replace(expected.find("person_year=0 "), 14, "person_year=4 ");
  EXPECT_EQ(indexes_of(path), expected);
}

// Files read as one (a source's censuses, SourceContext::begin_files) keep each record under its
// own file, and a reading of them all removes what any of them no longer gives.
TEST_P(EveryStore, FilesReadAsOneReplaceEachOnesEarlierRecords) {
  auto store = open();
  auto run = store->begin_run("2026-01-15");
  auto from = [](Record r, const char* file) {
    r.origin.file = file;
    return r;
  };
  store->begin();
  store->begin_file("census", "jan.csv");
  for (const auto& r : {from(person("P1", "A"), "jan.csv"), from(person("P2", "B"), "oct.csv")}) {
    ASSERT_TRUE(store->keep(r));
    store->write(r, "census", run);
  }
  EXPECT_EQ(store->end_file("census", {"jan.csv", "oct.csv"}), 0);
  store->write(from(person("P9", "Z"), "other.csv"), "census", run);
  store->begin_file("census", "jan.csv");
  const Record p1 = from(person("P1", "A"), "jan.csv");
  ASSERT_TRUE(store->keep(p1));
  store->write(p1, "census", run);
  EXPECT_EQ(store->end_file("census", {"jan.csv", "oct.csv"}), 1) << "P2, which oct.csv no longer gives";
  store->commit();
  std::set<std::string> refs;
  for (const auto& r : store->read(RecordKind::person, 0)) refs.insert(r.get("person_ref"));
  EXPECT_EQ(refs, (std::set<std::string>{"P1", "P9"})) << "a file not read with them keeps its records";
}

// Files read as one: the store says which file kept a key first, so that another file's copy is
// told from a row given twice in one file.
TEST_P(EveryStore, AKeyKeptOnceInAReadingSaysWhichFileKeptIt) {
  auto store = open();
  store->begin_run("2026-01-15");
  store->begin();
  store->begin_file("cms", "people_2026-12.csv");
  Record newer = person("P1", "New");
  newer.origin.file = "people_2026-12.csv";
  Record older = person("P1", "Old");
  older.origin.file = "people_2026-11.csv";
  ASSERT_TRUE(store->keep(newer));
  EXPECT_FALSE(store->keep(older));
  EXPECT_EQ(store->kept_by(older), "people_2026-12.csv");
  store->end_file("cms", {"people_2026-12.csv", "people_2026-11.csv"});
  store->begin_file("cms", "people_2026-12.csv");
  EXPECT_TRUE(store->keep(older)) << "each reading starts afresh";
  EXPECT_EQ(store->kept_by(older), "people_2026-11.csv");
  store->end_file("cms", {"people_2026-12.csv", "people_2026-11.csv"});
  store->commit();
}

// Issue 30: the stat an input was hashed with is kept with its hash, and follows every look at
// the file (the same bytes under a new stat, as after `touch`, are still those bytes).
TEST_P(EveryStore, AnInputIsKnownByTheStatItWasLastHashedWith) {
  auto store = open();
  auto run = store->begin_run("2026-01-15");
  store->begin();
  store->note_input("cms", InputFile{"people.csv", std::string(64, 'a'), "", 10, "10:1.0:1.0:1:1"}, run);
  EXPECT_EQ(store->known_input("cms", "people.csv", "10:1.0:1.0:1:1")->sha256, std::string(64, 'a'));
  store->note_input("cms", InputFile{"people.csv", std::string(64, 'a'), "", 10, "10:2.0:2.0:1:1"}, run);
  EXPECT_FALSE(store->known_input("cms", "people.csv", "10:1.0:1.0:1:1").has_value());
  EXPECT_EQ(store->known_input("cms", "people.csv", "10:2.0:2.0:1:1")->size, 10);
  store->note_input("cms", InputFile{"people.csv", std::string(64, 'b'), "", 11, ""}, run);
  EXPECT_FALSE(store->known_input("cms", "people.csv", "10:2.0:2.0:1:1").has_value()) << "changed while hashed: not trusted";
  EXPECT_FALSE(store->known_input("cms", "people.csv", "").has_value());
  store->commit();
}

TEST_P(EveryStore, RunLogAndDataTimestamp) {
  auto store = open();
  EXPECT_EQ(store->data_timestamp(), "");
  auto run = store->begin_run("2026-01-15");
  store->begin();
  store->record_source(run, SourceRun{"cms", "ok", "", SourceCounts{3, 2, 1, 0, 0}});
  store->commit();
  store->finish_run(run, "ok", 0);
  auto runs = store->runs();
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(runs[0].status, "ok");
  ASSERT_EQ(runs[0].sources.size(), 1u);
  EXPECT_EQ(runs[0].sources[0].counts.unchanged, 1);
  EXPECT_EQ(store->data_timestamp() + "Z", runs[0].started);
}

TEST_P(EveryStore, QuarantinedRecordsAreKeptForTheRetentionPeriodOnly) {
  auto store = open();
  auto old_run = store->begin_run("2025-01-01");
  auto new_run = store->begin_run("2026-01-01");
  store->quarantine(old_run, "cms", Error(Where{"f", 1, ""}, "x", "r", "bad"), "raw");
  store->quarantine(new_run, "cms", Error(Where{"f", 2, ""}, "x", "r", "bad"), "raw");
  admin_sql("UPDATE runs SET started = '2020-01-01T00:00:00Z' WHERE run_id = " + std::to_string(old_run));
  EXPECT_EQ(store->prune_quarantine(90), 1);
  EXPECT_EQ(store->prune_quarantine(90), 0);
}

// An unchanged file's quarantined records are carried into the run that skips reading it
// (issue 30): exactly those of its files, in their order, or none when some are gone.
TEST_P(EveryStore, AnUnchangedFilesQuarantinedRecordsAreCarriedIntoTheNextRun) {
  auto store = open();
  auto first = store->begin_run("2026-01-01");
  auto next = store->begin_run("2026-01-02");
  store->begin();
  store->quarantine(first, "census", Error(Where{"a.csv", 7, ""}, "upn", "upn.check", "the check letter is wrong"), "raw 7");
  store->quarantine(first, "census", Error(Where{"b.csv", 3, "row"}, "", "csv.columns", "too few columns"), "raw 3");
  store->quarantine(first, "census", Error(Where{"c.csv", 1, ""}, "x", "r", "another file's"), "raw 1");
  store->quarantine(first, "cms", Error(Where{"a.csv", 9, ""}, "x", "r", "another source's"), "raw 9");
  std::vector<std::string> seen;
  auto visit = [&](const Error& e) { seen.push_back(e.describe()); };
  EXPECT_FALSE(store->carry_quarantine("census", {"a.csv", "b.csv"}, first, next, 3, visit)) << "two, not three: read again";
  EXPECT_TRUE(seen.empty());
  ASSERT_TRUE(store->carry_quarantine("census", {"a.csv", "b.csv"}, first, next, 2, visit));
  store->commit();
  EXPECT_EQ(seen, (std::vector<std::string>{"a.csv:7: upn: the check letter is wrong [upn.check]",
                                            "b.csv:3: row: too few columns [csv.columns]"}));
  seen.clear();
  store->begin();
  EXPECT_TRUE(store->carry_quarantine("census", {"a.csv", "b.csv"}, next, next + 1, 2, visit)) << "carried again from the run they are in now";
  store->commit();
  EXPECT_EQ(seen.size(), 2u);
}

TEST_P(EveryStore, StateIsPerSource) {
  auto store = open();
  store->set_state("fhir", "high_water", "2026-01-01T00:00:00Z");
  EXPECT_EQ(store->state("fhir", "high_water"), "2026-01-01T00:00:00Z");
  EXPECT_EQ(store->state("other", "high_water"), "");
}

// A sink's keys looked up as a batch (the alerts sink's sent keys): each value in its key's
// place, "" for a key never set, removed, of another sink, or only a prefix of one set; keys
// with the characters a text array or LIKE would treat specially come back as themselves.
TEST_P(EveryStore, ASinksKeysLookedUpAsABatchComeBackInTheirPlaces) {
  auto store = open();
  const std::vector<std::string> odd{"sent|a@x.example|C1|step|2026-01-21|within_7", "q\"uote", "back\\slash",
                                     "{brace,comma}", "NULL", "per%cent_under", "caf\xc3\xa9 \t tab"};
  for (std::size_t i = 0; i < odd.size(); ++i) store->set_sink_state("alerts", odd[i], "v" + std::to_string(i));
  store->set_sink_state("other", "only-other", "x");
  store->set_sink_state("alerts", "gone", "y");
  store->set_sink_state("alerts", "gone", "");
  std::vector<std::string> keys{"never", odd[3], "only-other", odd[0], "gone", "sent|a@x.example|C1"};
  keys.insert(keys.end(), odd.begin(), odd.end());
  const auto values = store->sink_state_values("alerts", keys);
  std::vector<std::string> expected{"", "v3", "", "v0", "", ""};
  for (std::size_t i = 0; i < odd.size(); ++i) expected.push_back("v" + std::to_string(i));
  EXPECT_EQ(values, expected);
  EXPECT_TRUE(store->sink_state_values("alerts", {}).empty());
  std::vector<std::string> many(5000, "never");
  many[4999] = odd[6];
  const auto batch = store->sink_state_values("alerts", many);
  ASSERT_EQ(batch.size(), 5000u);
  EXPECT_EQ(batch[4999], "v6");
  EXPECT_EQ(std::count(batch.begin(), batch.end(), ""), 4999);
}

// A prefix finds exactly the keys that start with it, however close the others sort: the
// SQLite store reads them as a range of its index, bounded by the prefix's last byte raised.
TEST_P(EveryStore, ASinksKeysByPrefixAreExactlyThoseThatStartWithIt) {
  auto store = open();
  std::vector<std::string> set{"pending", "pending|a", "pending|b", "pending}", "pendinh", "pendinf|z", "sent|a", "q"};
  if (GetParam() == "sqlite") set.insert(set.end(), {"p\xff", "p\xff\xff|x"});   // not UTF-8: PostgreSQL refuses them
  for (const auto& key : set) store->set_sink_state("alerts", key, "v");
  store->set_sink_state("other", "pending|c", "v");
  auto keys = [&](const std::string& prefix) {
    std::string out;
    for (const auto& [key, value] : store->sink_state("alerts", prefix)) out += key + " ";
    return out;
  };
  EXPECT_EQ(keys("pending|"), "pending|a pending|b ");
  EXPECT_EQ(keys("pending"), "pending pending|a pending|b pending} ");
  EXPECT_EQ(keys("sent|"), "sent|a ");
  EXPECT_EQ(keys("nothing"), "");
  EXPECT_EQ(store->sink_state("alerts", "").size(), set.size());
  if (GetParam() == "sqlite") {
    EXPECT_EQ(keys("p\xff"), "p\xff p\xff\xff|x ") << "no byte to raise: no upper bound";
  }
}

TEST_F(StoreTest, ReopeningDoesNotReapplyMigrationsAndANewerStoreIsRefused) {
  { auto store = open_sqlite_store(path_, kSchemas); }
  EXPECT_NO_THROW(open_sqlite_store(path_, kSchemas));
  sqlite3* db = nullptr;
  sqlite3_open(path_.c_str(), &db);
  sqlite3_exec(db, "INSERT INTO schema_migrations(version, name) VALUES (999, 'future.sql')", nullptr, nullptr, nullptr);
  sqlite3_close(db);
  EXPECT_THROW(open_sqlite_store(path_, kSchemas), Error);
}

// A store at this version is only read when opened: a command opening it while another
// connection (a run) holds the write lock is not held up (BEGIN IMMEDIATE would wait for it).
TEST(Migrations, AnUpToDateStoreOpensWhileAnotherConnectionWrites) {
  TempDir dir;
  const std::string path = dir.path() + "/store.db";
  { auto store = open_sqlite_store(path, kSchemas); }
  sqlite3* writer = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &writer), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(writer, "BEGIN IMMEDIATE; INSERT INTO dataset_state VALUES ('x', 'y')", nullptr, nullptr, nullptr),
            SQLITE_OK)
      << sqlite3_errmsg(writer);
  sqlite::Db db(path);
  sqlite3_busy_timeout(db.handle(), 0);   // no waiting: a write lock asked for fails at once
  EXPECT_NO_THROW(migrate(db, kSchemas + "/sql"));
  sqlite3_exec(writer, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close(writer);
}

// Pending migrations go in together: one that fails leaves the store as it was (no table of
// the migrations before it, no version noted), and the store opens once the file is mended.
TEST(Migrations, AFailedUpgradeLeavesTheStoreAsItWas) {
  TempDir dir;
  const std::string sql = dir.path() + "/sql", db_path = dir.path() + "/store.db";
  std::filesystem::create_directories(sql);
  auto write = [&](const std::string& name, const std::string& text) { std::ofstream(sql + "/" + name) << text; };
  write("001_first.sql", "CREATE TABLE first_table (a TEXT);");
  write("002_second.sql", "CREATE TABLE second_table (b TEXT); THIS IS NOT SQL;");
  auto tables = [&] {
    sqlite::Db db(db_path);
    sqlite::Stmt s(db, "SELECT group_concat(name, ' ') FROM (SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name)");
    s.step();
    return s.text(0);
  };
  {
    sqlite::Db db(db_path);
    EXPECT_THROW(migrate(db, sql), Error);
  }
  EXPECT_EQ(tables(), "") << "nothing of the first migration, nor the table of versions";
  write("002_second.sql", "CREATE TABLE second_table (b TEXT);");
  {
    sqlite::Db db(db_path);
    migrate(db, sql);
    sqlite::Stmt s(db, "SELECT group_concat(version, ' ') FROM schema_migrations");
    s.step();
    EXPECT_EQ(s.text(0), "1 2");
  }
  EXPECT_EQ(tables(), "first_table schema_migrations second_table");
}

}  // namespace
}  // namespace sendhub
