// Issue 11: the dataset streamed person by person. Every record of the store reaches
// exactly one group, groups come in order, the statements behind the stream never sort
// the whole dataset, and validation gives the same issues whatever its batch size.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <map>
#include <set>

#include "pipeline/validate_store.h"
#include "store/sqlite/sqlite_dataset.h"
#include "test_support.h"

namespace sendhub {
namespace {

namespace fs = std::filesystem;
using test::TempDir;

class DatasetStream : public ::testing::Test {
 protected:
  void SetUp() override {
    test::demo_config(dir_, 80);
    auto r = test::sendhub("run --config " + (dir_ / "config/demo.json"));
    ASSERT_EQ(r.code, 0) << r.output;
    store_ = open_sqlite_store(dir_ / "var/sendhub.db", SENDHUB_SOURCE_DIR "/schemas");
  }
  TempDir dir_;
  std::unique_ptr<Store> store_;
};

TEST_F(DatasetStream, EveryRecordReachesExactlyOneGroupInOrder) {
  std::set<std::string> seen;
  std::string last;
  std::size_t records = 0, persons = 0, pupils = 0;
  store_->each_group(0, [&](StoredGroup& g) {
    EXPECT_LT(last, g.key) << "groups by key, each once";
    last = g.key;
    persons += g.person ? 1 : 0;
    for (const auto& r : g.records) {
      EXPECT_TRUE(seen.insert(std::string(r.kind_spec().name) + "|" + r.source + "|" + r.key()).second)
          << "a record in two groups: " << r.kind_spec().name << " " << r.key();
      if (r.kind() != RecordKind::person && r.kind() != RecordKind::advice && r.kind() != RecordKind::pupil) {
        EXPECT_FALSE(r.case_key.empty()) << r.kind_spec().name << " without its case";
      }
      if (r.kind() == RecordKind::pupil) {   // a census row belongs to its person, in no case
        EXPECT_TRUE(r.case_key.empty());
        EXPECT_TRUE(g.person.has_value()) << "a pupil row in a group with no person";
        ++pupils;
      }
    }
    records += g.records.size();
  });
  std::size_t stored = 0;
  for (const auto& k : kKinds)
    if (k.kind != RecordKind::la_return) stored += store_->read(k.kind, 0).size();
  EXPECT_EQ(records, stored) << "every record of the store, none twice (the sample links everything)";
  EXPECT_EQ(persons, store_->read_links().linked.size());
  EXPECT_GT(pupils, 0u) << "the demo's school census reaches the dataset";
}

// Then every other group, once, by key.
TEST_F(DatasetStream, TheLoadedReturnsPersonsComeFirstInItsOrder) {
  std::vector<std::int64_t> lines;
  std::vector<std::string> rest;
  std::size_t groups = 0;
  store_->each_group(2026, [&](StoredGroup& g) {
    ++groups;
    std::int64_t first = 0;
    for (const auto& r : g.records)
      if (r.kind() == RecordKind::request && r.return_year == 2026 && (!first || r.origin.line < first)) first = r.origin.line;
    if (first) {
      EXPECT_TRUE(rest.empty()) << "a group of the 2026 return after one with none: " << g.key;
      lines.push_back(first);
    } else {
      rest.push_back(g.key);
    }
  });
  ASSERT_GT(lines.size(), 10u);
  EXPECT_TRUE(std::is_sorted(lines.begin(), lines.end()));
  ASSERT_GT(rest.size(), 10u) << "the sample has people in no 2026 return";
  EXPECT_TRUE(std::is_sorted(rest.begin(), rest.end()));
  std::size_t all = 0;
  store_->each_group(0, [&](StoredGroup&) { ++all; });
  EXPECT_EQ(groups, all) << "every group once, in either order";
}

TEST_F(DatasetStream, NoStatementOfTheStreamSortsTheDataset) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir_ / "var/sendhub.db").c_str(), &db), SQLITE_OK);
  sqlite3_exec(db, "CREATE TEMP TABLE dataset_order (pos INTEGER PRIMARY KEY, grp TEXT NOT NULL)", nullptr, nullptr, nullptr);
  using sqlite::Reach;
  for (const auto& k : kKinds) {
    if (k.kind == RecordKind::la_return) continue;
    // A request's children by each way a walk may reach them (sqlite::MemberChildren).
    const std::vector<Reach> reaches = sqlite::hangs_from_request(k.kind) ? std::vector{Reach::own_rows, Reach::requests, Reach::both}
                                                                          : std::vector{Reach::own_rows};
    for (const Reach reach : reaches) {
      sqlite3_stmt* st = nullptr;
      const std::string sql = sqlite::group_cursor_sql(k.kind, "temp.dataset_order", reach, {"cms", "it's"});
      ASSERT_EQ(sqlite3_prepare_v2(db, ("EXPLAIN QUERY PLAN " + sql).c_str(), -1, &st, nullptr), SQLITE_OK) << sql;
      std::string plan;
      while (sqlite3_step(st) == SQLITE_ROW) plan += std::string(reinterpret_cast<const char*>(sqlite3_column_text(st, 3))) + "\n";
      sqlite3_finalize(st);
      EXPECT_EQ(plan.find("TEMP B-TREE"), std::string::npos) << k.name << ":\n" << plan;
      EXPECT_EQ(plan.rfind("SCAN o", 0), 0u) << k.name << ":\n" << plan;
    }
  }
  sqlite3_close(db);
}

// A first linking fills the dataset index and the match keys with their indexes dropped, then
// builds the indexes again by sorting (sqlite::bulk_load): both must be there, as declared.
TEST_F(DatasetStream, AFirstLinkingLeavesTheIndexesItRebuiltAsDeclared) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir_ / "var/sendhub.db").c_str(), &db), SQLITE_OK);
  std::map<std::string, std::string> indexes;
  sqlite3_stmt* st = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name IN "
                                   "('dataset_member', 'person_match') AND sql IS NOT NULL", -1, &st, nullptr), SQLITE_OK);
  while (sqlite3_step(st) == SQLITE_ROW)
    indexes[reinterpret_cast<const char*>(sqlite3_column_text(st, 0))] = reinterpret_cast<const char*>(sqlite3_column_text(st, 1));
  sqlite3_finalize(st);
  sqlite3_close(db);
  EXPECT_EQ(indexes["dataset_member_group"], "CREATE INDEX dataset_member_group ON dataset_member(grp, kind, case_key)");
  EXPECT_EQ(indexes["person_match_ref"], "CREATE INDEX person_match_ref ON person_match(source, person_ref)");
  EXPECT_EQ(indexes.size(), 2u);
}

// Past the page cache, index_dataset sorts the request rows before writing them: the index it
// leaves is the same either way. A cache of one page makes the sample outgrow it, on a first
// linking (into dataset_member) and on a relinking (into temp.member_new).
TEST_F(DatasetStream, TheDatasetIndexIsTheSameWhenItsRowsOutgrowTheCache) {
  store_.reset();
  sqlite::Db db(dir_ / "var/sendhub.db");
  auto members = [&] {
    std::vector<std::string> rows;
    sqlite::Stmt s(db, "SELECT kind, source, ref, grp, case_key FROM dataset_member ORDER BY kind, source, ref");
    while (s.step()) rows.push_back(std::to_string(s.integer(0)) + "|" + s.text(1) + "|" + s.text(2) + "|" + s.text(3) + "|" + s.text(4));
    return rows;
  };
  const auto before = members();
  ASSERT_GT(before.size(), 100u);
  EXPECT_FALSE(sqlite::outgrows_cache(db, "dataset_member", static_cast<std::int64_t>(before.size())));
  db.exec("PRAGMA cache_size=1");
  db.exec("PRAGMA temp.cache_size=1");
  EXPECT_TRUE(sqlite::outgrows_cache(db, "dataset_member", static_cast<std::int64_t>(before.size())));
  EXPECT_TRUE(sqlite::outgrows_cache(db, "temp.member_new", static_cast<std::int64_t>(before.size())));
  sqlite::in_transaction(db, [&] { sqlite::index_dataset(db, {}); });   // a relinking: nothing changes
  EXPECT_EQ(members(), before);
  sqlite::in_transaction(db, [&] {
    db.exec("DELETE FROM dataset_member");
    sqlite::index_dataset(db, {});   // a first linking
  });
  EXPECT_EQ(members(), before);
}

TEST_F(DatasetStream, ValidationGivesTheSameIssuesWhateverItsBatchSize) {
  auto collect = [&](std::size_t batch) {
    std::multiset<std::string> out;
    int firsts = 0;
    auto counts = validate_store(*store_, SENDHUB_SOURCE_DIR "/schemas", "351", 0,
                                 [&](int year, const std::vector<Issue>& issues, bool first) {
                                   firsts += first ? 1 : 0;
                                   for (const auto& i : issues) out.insert(std::to_string(year) + i.rule + i.file + std::to_string(i.line));
                                 }, batch);
    EXPECT_EQ(firsts, 3) << "one first batch per year";
    EXPECT_EQ(static_cast<std::size_t>(counts.count("error") + counts.count("query")), out.size());
    return out;
  };
  const auto whole = collect(4096);
  EXPECT_FALSE(whole.empty());
  EXPECT_EQ(collect(1), whole);
}

}  // namespace
}  // namespace sendhub
