// Linking only what changed (issue 11) must give exactly what linking everything gives. A
// population built to collide (few names, birth dates, UPNs and NHS numbers, typos, shared
// request references) is changed at random, round after round; after each round the store
// linked only the changes is compared with a store linked afresh: every link, resolved
// person, conflict and dataset group.
#include <gtest/gtest.h>

#include "link_population.h"
#include "pg_pool.h"
#include "test_support.h"

namespace sendhub {
namespace {

using namespace link_test;

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

// A first linking writes its links straight into the empty tables (no staging): one that
// ends without save() (a failure half way) leaves none of them behind, for this connection or
// another, and the next linking gives what a fresh store's does.
TEST(IncrementalLinking, AFirstLinkingThatNeverSavesLeavesNoLinks) {
  test::TempDir dir;
  auto store = open_sqlite_store(dir / "s.db", kSchemas);
  Population population(3);
  population.load(*store, store->begin_run("2026-01-15"));
  {
    auto scratch = store->link_scratch({});
    link_dataset(*scratch, {{{"cms", "cms_csv"}, {"sen2", "sen2_xml"}, {"health", "fhir_advice"}}, {}, "salt", true},
                 load_link_rules(kRules));
  }   // dropped unsaved
  EXPECT_EQ(everything(*store), everything(*open_sqlite_store(dir / "empty.db", kSchemas)));
  EXPECT_EQ(store->linked_records(), 0);
  auto other = open_sqlite_store(dir / "s.db", kSchemas);
  EXPECT_EQ(other->linked_records(), 0) << "another connection sees no links either";
  link(*store, true);
  test::TempDir fresh_dir;
  auto fresh = open_sqlite_store(fresh_dir / "s.db", kSchemas);
  population.load(*fresh, fresh->begin_run("2026-01-15"));
  link(*fresh, false);
  EXPECT_NE(store->linked_records(), 0);
  EXPECT_EQ(everything(*store), everything(*fresh));
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
