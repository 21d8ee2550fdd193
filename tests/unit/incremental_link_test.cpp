// Linking only what changed (issue 11) must give exactly what linking everything gives. A
// population built to collide (few names, birth dates, UPNs and NHS numbers, typos, shared
// request references) is changed at random, round after round; after each round the store
// linked only the changes is compared with a store linked afresh: every link, resolved
// person, conflict and dataset group.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <sstream>

#include "link/linker.h"
#include "pg_pool.h"
#include "store/sqlite/sqlite_db.h"
#include "store/store.h"
#include "test_support.h"
#include "text/identifiers.h"

namespace sendhub {
namespace {

const std::string kRules = SENDHUB_SOURCE_DIR "/schemas/link/rules.json";
const std::string kSchemas = SENDHUB_SOURCE_DIR "/schemas";

std::string valid_upn(int n) {
  std::string upn = "A351200" + std::to_string(100000 + n).substr(0, 6);
  upn[0] = text::upn_check_letter(upn);
  return upn;
}

std::string valid_nhs(int n) {
  for (int base = 400000000 + n * 7;; ++base) {
    const std::string d = std::to_string(base);
    int sum = 0;
    for (int i = 0; i < 9; ++i) sum += (d[static_cast<std::size_t>(i)] - '0') * (10 - i);
    const int check = (11 - sum % 11) % 11;
    if (check != 10) return d + std::to_string(check);
  }
}

// Records by (kind, source, key): what each source's file holds now.
class Population {
 public:
  explicit Population(unsigned seed, bool empty = false) : rng_(seed) {
    if (empty) return;
    for (int i = 0; i < 70; ++i) add_person("cms", "C" + std::to_string(i));
    for (int i = 0; i < 70; ++i) add_person("sen2", "S" + std::to_string(i));
    for (int i = 0; i < 90; ++i) add_request();
    for (int i = 0; i < 50; ++i) add_advice();
  }

  // One random change: a person's identity, a request's person or dates, a plan, a need,
  // advice; added, changed or removed.
  void change() {
    switch (pick(9)) {
      case 0: add_person(pick(2) ? "cms" : "sen2", "N" + std::to_string(pick(20))); break;   // maybe named already
      case 1: remove(RecordKind::person); break;
      case 2: case 3: if (auto* p = any(RecordKind::person)) fill_person(*p); break;
      case 4: add_request(); break;
      case 5: if (auto* r = any(RecordKind::request)) fill_request(*r); break;
      case 6: remove(pick(2) ? RecordKind::request : RecordKind::plan); break;
      case 7: add_advice(); break;
      default: if (auto* a = any(RecordKind::advice)) fill_advice(*a); else remove(RecordKind::advice); break;
    }
  }

  Record& put(Record r) {
    Key k{static_cast<int>(r.kind()), r.source, r.key()};
    records_.erase(k);
    return records_.emplace(k, std::move(r)).first->second;
  }
  void erase(RecordKind kind, const std::string& source, const std::string& key) {
    records_.erase(Key{static_cast<int>(kind), source, key});
  }

  // Each source's file read whole, as a connector does: unchanged records stay, changed
  // ones are stored, missing ones removed.
  void load(Store& store, std::int64_t run) const {
    for (const std::string source : {"cms", "sen2", "health"}) {
      store.begin();
      store.begin_file(source, source + ".dat");
      for (const auto& [key, r] : records_)
        if (std::get<1>(key) == source) {
          Record copy = r;
          copy.origin = Where{source + ".dat", 0, ""};
          EXPECT_TRUE(store.keep(copy));
          store.write(copy, source, run);
        }
      store.end_file(source, {source + ".dat"});
      store.data_changed();
      store.commit();
    }
  }

 private:
  using Key = std::tuple<int, std::string, std::string>;

  int pick(int n) { return static_cast<int>(rng_() % static_cast<unsigned>(n)); }
  template <class T>
  const T& one_of(const std::vector<T>& v) { return v[static_cast<std::size_t>(pick(static_cast<int>(v.size())))]; }
  std::string date() { return "2024-0" + std::to_string(1 + pick(2)) + "-1" + std::to_string(pick(2)); }

  Record* any(RecordKind kind) {
    std::vector<Record*> all;
    for (auto& [k, r] : records_)
      if (std::get<0>(k) == static_cast<int>(kind)) all.push_back(&r);
    return all.empty() ? nullptr : one_of(all);
  }
  void remove(RecordKind kind) {
    if (Record* r = any(kind)) records_.erase(Key{static_cast<int>(kind), r->source, r->key()});
  }
  std::vector<std::string> refs(RecordKind kind, const std::string& source = "") const {
    std::vector<std::string> out;
    for (const auto& [k, r] : records_)
      if (std::get<0>(k) == static_cast<int>(kind) && (source.empty() || std::get<1>(k) == source)) out.push_back(r.key());
    return out;
  }

  void add_person(const std::string& source, const std::string& ref) {
    Record r(RecordKind::person);
    r.source = source;
    r.set("person_ref", ref);
    fill_person(put(std::move(r)));
  }
  void fill_person(Record& r) {
    r.set("surname", one_of<std::string>({"Smith", "SMITH", "Khan", "O'Neil"})).set("forename", one_of<std::string>({"Amy", "Ben"}));
    r.set("birth_date", one_of<std::string>({"2014-01-01", "2014-01-02", ""})).set("postcode", one_of<std::string>({"BL9 0AB", "M1 1AE", ""}));
    std::string upn = pick(3) ? valid_upn(pick(25)) : "";
    if (!upn.empty() && pick(8) == 0) upn[0] = upn[0] == 'A' ? 'B' : 'A';   // a typo: the check letter fails
    r.set("upn", upn).set("nhs_number", pick(3) == 0 ? valid_nhs(pick(15)) : "");
  }
  void add_request() {
    const std::string source = pick(2) ? "cms" : "sen2";
    Record r(RecordKind::request);
    r.source = source;
    r.set("request_ref", "R" + std::to_string(pick(60)));   // some references in both sources
    fill_request(put(std::move(r)));
  }
  void fill_request(Record& r) {
    const auto people = refs(RecordKind::person, r.source);
    // Sometimes a person not (yet) in the source: the request stays unlinked until one comes.
    r.set("person_ref", people.empty() || pick(5) == 0 ? "N" + std::to_string(pick(20)) : one_of(people));
    r.set("received_date", pick(4) ? date() : "");
    if (pick(2)) {
      Record plan(RecordKind::plan);
      plan.source = r.source;
      plan.set("request_ref", r.get("request_ref")).set("start_date", date());
      put(std::move(plan));
    }
    Record need(RecordKind::need);
    need.source = r.source;
    need.set("request_ref", r.get("request_ref")).set("seq", "1").set("sen_type", one_of<std::string>({"ASD", "SEMH"}));
    put(std::move(need));
  }
  void add_advice() {
    Record a(RecordKind::advice);
    a.source = "health";
    a.set("advice_ref", "A" + std::to_string(next_++));
    fill_advice(put(std::move(a)));
  }
  void fill_advice(Record& a) {
    const auto requests = refs(RecordKind::request);
    a.set("request_ref", pick(2) && !requests.empty() ? one_of(requests) : pick(2) ? "R" + std::to_string(pick(60)) : "");
    a.set("nhs_number", pick(2) ? valid_nhs(pick(15)) : "").set("requested_date", date()).set("advice_type", "health");
  }

  std::mt19937 rng_;
  int next_ = 0;
  std::map<Key, Record> records_;
};

LinkCounts link(Store& store, bool only_changes) {
  auto scratch = store.link_scratch({});
  const LinkCounts counts = link_dataset(*scratch, {{{"cms", "cms_csv"}, {"sen2", "sen2_xml"}, {"health", "fhir_advice"}}, {}, "salt", only_changes},
                                         load_link_rules(kRules));
  scratch->save(store.link_state().data_version, {});
  return counts;
}

// Everything linking leaves, as text: the links, resolved people and conflicts, and each
// group as sinks read it (records sorted within it).
std::string everything(Store& store) {
  std::ostringstream out;
  const LinkSet l = store.read_links();
  for (const auto& p : l.persons) out << "P " << p.source << ' ' << p.person_ref << ' ' << p.person_key << ' ' << p.rule << '\n';
  for (const auto& r : l.requests)
    out << "R " << r.source << ' ' << r.request_ref << ' ' << r.person_key << ' ' << r.case_key << ' ' << r.rule << '\n';
  for (const auto& a : l.advice)
    out << "A " << a.source << ' ' << a.advice_ref << ' ' << a.person_key << ' ' << a.request_source << ' ' << a.request_ref
        << ' ' << a.rule << '\n';
  for (const auto& p : l.linked) {
    out << "L " << p.person_key << ' ' << p.origins;
    for (const auto& v : p.values) out << '|' << v;
    out << '\n';
  }
  for (const auto& c : l.conflicts) out << "C " << c.person_key << ' ' << c.field << ' ' << c.sources << ' ' << c.winner << '\n';
  // Each record whole (but the run that stored it: the stores load in different runs), so a
  // group a walk reads from a stale copy (sqlite_group_copies.h) differs.
  store.each_group(0, [&](StoredGroup& g) {
    std::vector<std::string> records;
    for (const auto& r : g.records) {
      std::string line = std::to_string(static_cast<int>(r.kind())) + ' ' + r.source + ' ' + r.key() + ' ' + r.case_key +
                         ' ' + r.person_key + ' ' + r.origin.file + ':' + std::to_string(r.origin.line) + ' ' +
                         std::to_string(r.return_year);
      for (std::size_t i = 0; i < r.size(); ++i) line += '|' + r.at(i);
      records.push_back(line);
    }
    std::sort(records.begin(), records.end());
    out << "G " << g.key << (g.person ? " person " + g.person->origins : "") << '\n';
    if (g.person) {
      for (const auto& v : g.person->values) out << '|' << v;
      out << '\n';
    }
    for (const auto& r : records) out << "  " << r << '\n';
  });
  return out.str();
}

TEST(IncrementalLinking, GivesWhatLinkingEverythingGivesRoundAfterRound) {
  for (unsigned seed = 1; seed <= 10; ++seed) {
    test::TempDir dir;
    auto store = open_sqlite_store(dir / "s.db", kSchemas);
    ASSERT_TRUE(store->try_lock_run()) << "as a run: its walks keep the groups' copies";
    Population population(seed);
    population.load(*store, store->begin_run("2026-01-15"));
    EXPECT_FALSE(link(*store, true).narrowed) << "a first load is linked whole";
    int narrowed = 0;
    for (int round = 0; round < 16; ++round) {
      for (int i = 0; i < 1 + round % 6; ++i) population.change();
      population.load(*store, store->begin_run("2026-01-15"));
      const LinkCounts counts = link(*store, true);
      narrowed += counts.narrowed ? 1 : 0;

      test::TempDir fresh_dir;
      auto fresh = open_sqlite_store(fresh_dir / "s.db", kSchemas);
      population.load(*fresh, fresh->begin_run("2026-01-15"));
      link(*fresh, false);
      ASSERT_EQ(everything(*store), everything(*fresh)) << "seed " << seed << ", round " << round;
    }
    EXPECT_GT(narrowed, 12) << "the rounds were linked narrowed, not whole (seed " << seed << ")";
  }
}

// A council's part of a PostgreSQL pool links as the file store does (issue 14): the same
// colliding population, changed round after round, loaded into the pool (which links
// everything each time) and into a fresh SQLite store gives the same links, resolved
// people, conflicts and groups.
TEST(PoolLinking, GivesWhatTheFileStoreGivesRoundAfterRound) {
  SENDHUB_REQUIRE_PG();
  for (unsigned seed = 1; seed <= 3; ++seed) {
    test::TestPool pool(kSchemas);
    auto store = pool.open(pool.council("E0900000" + std::to_string(seed)), kSchemas);
    Population population(seed);
    for (int round = 0; round < 6; ++round) {
      for (int i = 0; round > 0 && i < 1 + round; ++i) population.change();
      population.load(*store, store->begin_run("2026-01-15"));
      EXPECT_FALSE(link(*store, true).narrowed);
      test::TempDir fresh_dir;
      auto fresh = open_sqlite_store(fresh_dir / "s.db", kSchemas);
      population.load(*fresh, fresh->begin_run("2026-01-15"));
      link(*fresh, false);
      ASSERT_EQ(everything(*store), everything(*fresh)) << "seed " << seed << ", round " << round;
    }
  }
}

// How many groups the dataset has, and how many of them a file store keeps a copy of
// (sqlite_group_copies.h), read through a connection of the test's own.
std::pair<std::int64_t, std::int64_t> groups_and_copies(const std::string& path) {
  sqlite::Db db(path);
  sqlite::Stmt groups(db, "SELECT COUNT(DISTINCT grp) FROM dataset_member"), copies(db, "SELECT COUNT(*) FROM group_copy");
  return {groups.step() ? groups.integer(0) : -1, copies.step() ? copies.integer(0) : -1};
}

Record make_record(RecordKind kind, const std::string& source, std::initializer_list<std::pair<const char*, std::string>> fields) {
  Record r(kind);
  r.source = source;
  for (const auto& [f, v] : fields) r.set(f, v);
  return r;
}

// A walk keeps a copy of each group, and after a night's change reads from the record tables
// only the groups the change touched; what it gives is what a walk of the tables gives (the
// rounds above compare every record with a fresh store's, walk after walk of copies).
TEST(GroupCopies, AWalkAfterAChangeReadsOnlyTheGroupsItTouched) {
  test::TempDir dir;
  const std::string path = dir / "s.db";
  auto store = open_sqlite_store(path, kSchemas);
  ASSERT_TRUE(store->try_lock_run());
  Population population(0, true);   // forty children who share nothing
  for (int i = 0; i < 40; ++i) {
    const std::string n = std::to_string(i), ref = "P" + n;
    population.put(make_record(RecordKind::person, "cms", {{"person_ref", ref}, {"surname", "Surname" + n}, {"forename", "Amy"},
                                                           {"birth_date", "2014-01-01"}, {"upn", valid_upn(i)}}));
    population.put(make_record(RecordKind::request, "cms", {{"request_ref", "R" + n}, {"person_ref", ref}, {"received_date", "2024-01-10"}}));
    population.put(make_record(RecordKind::plan, "cms", {{"request_ref", "R" + n}, {"start_date", "2024-03-01"}}));
  }
  population.load(*store, store->begin_run("2026-01-15"));
  link(*store, true);
  EXPECT_EQ(groups_and_copies(path).second, 0) << "nothing walked yet";
  const std::string first = everything(*store);
  EXPECT_EQ(groups_and_copies(path), std::make_pair(std::int64_t{40}, std::int64_t{40})) << "the first walk keeps every group";
  EXPECT_EQ(everything(*store), first) << "a walk of copies gives what the tables gave";

  // One child's plan changes, another moves house: their two groups, and no other, are read again.
  population.put(make_record(RecordKind::plan, "cms", {{"request_ref", "R7"}, {"start_date", "2024-04-01"}}));
  population.put(make_record(RecordKind::person, "cms", {{"person_ref", "P9"}, {"surname", "Surname9"}, {"forename", "Amy"},
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

// A copy damaged outside the hub is an error naming it, not a wrong group; the copies are
// given up and the next walk reads the record tables.
TEST(GroupCopies, ADamagedCopyIsAnErrorAndTheNextWalkReadsTheTables) {
  test::TempDir dir;
  const std::string path = dir / "s.db";
  auto store = open_sqlite_store(path, kSchemas);
  ASSERT_TRUE(store->try_lock_run());
  Population population(6);
  population.load(*store, store->begin_run("2026-01-15"));
  link(*store, true);
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

TEST(IncrementalLinking, RevisitsOnlyWhatAChangeCanTouch) {
  test::TempDir dir;
  auto store = open_sqlite_store(dir / "s.db", kSchemas);
  Population population(7);
  population.load(*store, store->begin_run("2026-01-15"));
  const LinkCounts all = link(*store, true);
  population.load(*store, store->begin_run("2026-01-15"));   // nothing changed
  const LinkCounts none = link(*store, true);
  EXPECT_TRUE(none.narrowed);
  EXPECT_EQ(none.changed, 0);
  EXPECT_EQ(none.person_records, 0) << "no change: no person is linked again";
  population.change();
  population.load(*store, store->begin_run("2026-01-15"));
  const LinkCounts some = link(*store, true);
  EXPECT_TRUE(some.narrowed);
  EXPECT_LT(some.person_records, all.person_records);
}

}  // namespace
}  // namespace sendhub

namespace sendhub {
namespace {

Record make(RecordKind kind, const std::string& source, std::initializer_list<std::pair<const char*, std::string>> fields) {
  Record r(kind);
  r.source = source;
  for (const auto& [f, v] : fields) r.set(f, v);
  return r;
}

// Changes that reach people only through an earlier link: each is linked only the changes
// and compared with linking afresh.
class Paths : public ::testing::Test {
 protected:
  void SetUp() override { store_ = open_sqlite_store(dir_ / "s.db", kSchemas); }
  void relink_and_compare(const char* what) {
    records_.load(*store_, store_->begin_run("2026-01-15"));
    EXPECT_TRUE(link(*store_, true).narrowed) << what;
    test::TempDir fresh_dir;
    auto fresh = open_sqlite_store(fresh_dir / "s.db", kSchemas);
    records_.load(*fresh, fresh->begin_run("2026-01-15"));
    link(*fresh, false);
    EXPECT_EQ(everything(*store_), everything(*fresh)) << what;
  }

  test::TempDir dir_;
  std::unique_ptr<Store> store_;
  Population records_{0, true};
};

TEST_F(Paths, ARequestMovingAwayRenamesTheCaseItLeaves) {
  // R2 (received 2024-01-10, plan from 2024-02-01) and R1 (no date, the same plan start)
  // are one case of person A, named by R2's received date. R2 moves to B: R1, unchanged,
  // is a case of its own again, named by its plan.
  records_.put(make(RecordKind::person, "cms", {{"person_ref", "A"}, {"surname", "Khan"}, {"forename", "Amy"}, {"upn", valid_upn(1)}}));
  records_.put(make(RecordKind::person, "cms", {{"person_ref", "B"}, {"surname", "Lee"}, {"forename", "Ben"}, {"upn", valid_upn(2)}}));
  records_.put(make(RecordKind::request, "cms", {{"request_ref", "R1"}, {"person_ref", "A"}}));
  records_.put(make(RecordKind::request, "cms", {{"request_ref", "R2"}, {"person_ref", "A"}, {"received_date", "2024-01-10"}}));
  for (const char* ref : {"R1", "R2"})
    records_.put(make(RecordKind::plan, "cms", {{"request_ref", ref}, {"start_date", "2024-02-01"}}));
  records_.load(*store_, store_->begin_run("2026-01-15"));
  link(*store_, true);
  records_.put(make(RecordKind::request, "cms", {{"request_ref", "R2"}, {"person_ref", "B"}, {"received_date", "2024-01-10"}}));
  relink_and_compare("R1's case is named again");
}

TEST_F(Paths, AdviceWhoseRequestGoesFindsItsPersonByNhsNumber) {
  // The advice names request R of person X and carries person Y's NHS number. R is
  // removed: the advice, unchanged, now links to Y, whom no change touched.
  records_.put(make(RecordKind::person, "cms", {{"person_ref", "X"}, {"surname", "Khan"}, {"forename", "Amy"}, {"upn", valid_upn(1)}}));
  records_.put(make(RecordKind::person, "cms", {{"person_ref", "Y"}, {"surname", "Lee"}, {"forename", "Ben"}, {"nhs_number", valid_nhs(1)}}));
  records_.put(make(RecordKind::request, "cms", {{"request_ref", "R"}, {"person_ref", "X"}, {"received_date", "2024-01-10"}}));
  records_.put(make(RecordKind::advice, "health", {{"advice_ref", "A1"}, {"request_ref", "R"}, {"nhs_number", valid_nhs(1)},
                                                   {"requested_date", "2024-01-12"}}));
  records_.load(*store_, store_->begin_run("2026-01-15"));
  link(*store_, true);
  records_.erase(RecordKind::request, "cms", "R");
  relink_and_compare("the advice follows the NHS number");
  EXPECT_EQ(store_->read_links().advice.at(0).rule, "nhs_number");
}

TEST_F(Paths, APersonArrivingLinksTheRequestsThatNamedThem) {
  records_.put(make(RecordKind::person, "cms", {{"person_ref", "A"}, {"surname", "Khan"}, {"forename", "Amy"}}));
  records_.put(make(RecordKind::request, "cms", {{"request_ref", "R"}, {"person_ref", "B"}, {"received_date", "2024-01-10"}}));
  records_.load(*store_, store_->begin_run("2026-01-15"));
  link(*store_, true);
  EXPECT_EQ(store_->read_links().requests.at(0).rule, "unlinked");
  records_.put(make(RecordKind::person, "cms", {{"person_ref", "B"}, {"surname", "Lee"}, {"forename", "Ben"}}));
  relink_and_compare("B's request joins B");
  EXPECT_EQ(store_->read_links().requests.at(0).rule, "person_ref");
}

}  // namespace
}  // namespace sendhub
