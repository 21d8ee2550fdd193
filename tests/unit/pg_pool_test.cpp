// A regional pool on PostgreSQL (issue 14): councils kept apart by the server, not by the
// hub. Two councils load at the same time; neither can read nor change the other's rows,
// whatever SQL it sends; the run lock is per council; a role that is no council, and a
// pool whose schema is behind, are refused with what to do.
#include <gtest/gtest.h>

#include <chrono>
#include <set>
#include <thread>

#include "pg_pool.h"
#include "pseudonymiser.h"
#include "store/pg/pg_rows.h"
#include "store/pg/pg_db.h"
#include "store/store.h"

namespace sendhub {
namespace {

const std::string kSchemas = SENDHUB_SOURCE_DIR "/schemas";

Record person(const std::string& ref, const std::string& surname) {
  Record r(RecordKind::person);
  r.set("person_ref", ref).set("surname", surname).set("birth_date", "2015-05-01");
  r.origin = Where{"people.csv", 1, ""};
  return r;
}

void load(Store& store, const std::string& prefix, int n) {
  const auto run = store.begin_run("2026-01-15");
  store.begin();
  store.begin_file("cms", "people.csv");
  for (int i = 0; i < n; ++i) {
    Record r = person(prefix + std::to_string(i), "Surname" + std::to_string(i));
    store.keep(r);
    store.write(r, "cms", run);
  }
  store.end_file("cms", {"people.csv"});
  store.settle();
  store.data_changed();
  store.commit();
  store.finish_run(run, "ok", 0);
}

std::set<std::string> refs(Store& store) {
  std::set<std::string> out;
  for (const auto& r : store.read(RecordKind::person, 0)) out.insert(r.get("person_ref"));
  return out;
}

class Pool : public ::testing::Test {
 protected:
  void SetUp() override {
    SENDHUB_REQUIRE_PG();
    pool_ = std::make_unique<test::TestPool>(kSchemas);
  }
  std::unique_ptr<test::TestPool> pool_;
};

TEST_F(Pool, TwoCouncilsLoadAtTheSameTimeAndEachSeesOnlyItsOwnRows) {
  const std::string a = pool_->council("E09000001"), b = pool_->council("E09000002");
  // Both councils' hubs hold their run locks and load together, the same source name
  // and the same record keys: the council code keeps them apart.
  auto store_a = pool_->open(a, kSchemas), store_b = pool_->open(b, kSchemas);
  ASSERT_TRUE(store_a->try_lock_run());
  ASSERT_TRUE(store_b->try_lock_run()) << "the lock is per council";
  std::thread load_a([&] { load(*store_a, "P", 3000); });
  std::thread load_b([&] { load(*store_b, "P", 2000); });
  load_a.join();
  load_b.join();
  EXPECT_EQ(refs(*store_a).size(), 3000u);
  EXPECT_EQ(refs(*store_b).size(), 2000u);
  EXPECT_EQ(store_a->runs().size(), 1u) << "each council's run log is its own";
  // The same council's second hub waits for the first.
  auto again_a = pool_->open(a, kSchemas);
  EXPECT_FALSE(again_a->try_lock_run());
  store_a.reset();   // the first hub ends: its lock goes when the server has seen it leave
  bool locked = false;
  for (int i = 0; i < 100 && !locked; ++i) {
    locked = again_a->try_lock_run();
    if (!locked) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_TRUE(locked);
  // The owner sees both, each under its code.
  pg::Db admin(pool_->admin_conninfo(), test::TestPool::kAdminPassword);
  EXPECT_EQ(admin.query("SELECT council, COUNT(*) FROM person GROUP BY council ORDER BY council").rows(), 2);
  // A load leaves the planner's statistics fresh (sendhub_analyze): plans made on the
  // statistics of an empty table read the grown one once per row.
  EXPECT_GE(pg::number(admin, "SELECT reltuples::bigint FROM pg_class WHERE oid = 'public.person'::regclass"), 3000);
}

TEST_F(Pool, ACouncilCanNeitherReadNorChangeAnotherCouncilsRowsWhateverItSends) {
  const std::string a = pool_->council("E09000001"), b = pool_->council("E09000002");
  load(*pool_->open(a, kSchemas), "A", 5);
  load(*pool_->open(b, kSchemas), "B", 5);
  // Council B's role, with its own SQL: every statement sees its own rows only.
  pg::Db as_b(b, test::TestPool::kCouncilPassword);
  EXPECT_EQ(as_b.query("SELECT COUNT(*) FROM person").text(0, 0), "5");
  EXPECT_EQ(as_b.query("SELECT COUNT(*) FROM person WHERE council = 'E09000001'").text(0, 0), "0");
  EXPECT_EQ(as_b.query("UPDATE person SET surname = 'x' WHERE council = 'E09000001'").affected(), 0);
  EXPECT_EQ(as_b.query("DELETE FROM person WHERE person_ref LIKE 'A%'").affected(), 0);
  EXPECT_EQ(as_b.query("DELETE FROM runs WHERE council = 'E09000001'").affected(), 0);
  // Writing a row as another council is refused by the policy's check.
  EXPECT_THROW(as_b.exec("INSERT INTO person(council, source, rkey, run_id, row_hash, person_ref) "
                         "VALUES ('E09000001', 'cms', 'X1', 1, 'h', 'X1')"),
               Error);
  EXPECT_THROW(as_b.exec("UPDATE person SET council = 'E09000001'"), Error);
  // Nor can it register itself as another council, or change the schema.
  EXPECT_THROW(as_b.exec("UPDATE pool_council SET council = 'E09000001'"), Error);
  EXPECT_THROW(as_b.exec("ALTER TABLE person DISABLE ROW LEVEL SECURITY"), Error);
  auto store_a = pool_->open(a, kSchemas);
  EXPECT_EQ(refs(*store_a), (std::set<std::string>{"A0", "A1", "A2", "A3", "A4"}));
  EXPECT_EQ(store_a->read(RecordKind::person, 0)[0].get("surname"), "Surname0");
}

TEST_F(Pool, ARoleThatIsNoCouncilAndASchemaBehindAreRefusedWithWhatToDo) {
  const std::string stranger = pool_->login_role("analyst");
  try {
    pool_->open(stranger, kSchemas);
    FAIL() << "a role that is no council opened the pool";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("sendhub_add_council"), std::string::npos) << e.what();
  }
  const std::string a = pool_->council("E09000001");
  pg::Db(pool_->admin_conninfo(), test::TestPool::kAdminPassword).exec("DELETE FROM schema_migrations");
  try {
    pool_->open(a, kSchemas);
    FAIL() << "a pool behind this build's schema opened";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("pool-migrate"), std::string::npos) << e.what();
  }
}

// Every table that holds a council's rows is kept apart by a policy, including tables a
// later migration adds (the resolved dataset of 002).
TEST_F(Pool, EveryTableWithACouncilColumnHasRowLevelSecurity) {
  pg::Db admin(pool_->admin_conninfo(), test::TestPool::kAdminPassword);
  const pg::Result open = admin.query(
      "SELECT c.relname FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'council' "
      "WHERE c.relkind = 'r' AND c.relnamespace = 'public'::regnamespace AND c.relname <> 'pool_council' "
      "AND NOT (c.relrowsecurity AND EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = c.oid))");
  for (int i = 0; i < open.rows(); ++i) ADD_FAILURE() << open.text(i, 0) << " has no row-level security";
  EXPECT_GE(pg::number(admin, "SELECT COUNT(*) FROM pg_class WHERE relname LIKE 'resolved\\_%' AND relrowsecurity"), 9);
}

// The pool reader's views degrade birth dates and postcodes with SQL functions; they agree
// with the pseudonymised extract's own (pseudonymiser.cpp) on every awkward input.
TEST_F(Pool, TheViewsDegradeDatesAndPostcodesAsTheExtractDoes) {
  pg::Db admin(pool_->admin_conninfo(), test::TestPool::kAdminPassword);
  for (const std::string p : {"SW1A 1AA", "sw1a1aa", "M1 1AE", "B33 8TH", "CR2 6XH", "DN55 1PT", "EC1A 1BB", "W1A 0AX",
                              "1AB 2CD", "SW1A", "SW1A 1A1", "AB12 3CDE", "A1 1AA", "AA1A 1AA", "  m 1 1 a e ", "", "ÉC1 1AA",
                              "SW1A-1AA", "AAA1 1AA", "A11A 1AA"})
    EXPECT_EQ(pg::value(admin, "SELECT COALESCE(sendhub_postcode_sector($1), '')", {p}), pseudo::postcode_sector(p)) << p;
  for (const std::string d : {"2015-05-17", "2015-05-01", "2015-5-17", "17/05/2015", "2015-05-17T00:00", "", "abcd-ef-gh"})
    EXPECT_EQ(pg::value(admin, "SELECT COALESCE(sendhub_first_of_month($1), '')", {d}), pseudo::first_of_month(d)) << d;
}

}  // namespace
}  // namespace sendhub

namespace sendhub {
namespace {

// Issue 25: the README's set-up on a server where the pool's owner is a plain role: without
// CREATEROLE, pool-migrate says what the owner lacks and changes nothing; with it, as the
// README says, the pool is made and a council registered by the owner loads.
TEST(PoolSetUp, AnOwnerWithoutCreateroleIsToldWhatItLacksAndTheReadmesStepsThenWork) {
  SENDHUB_REQUIRE_PG();
  const std::string server = test::pg_server(), tag = std::to_string(::getpid());
  const std::string owner = "plain_owner_" + tag, db = "readme_pool_" + tag, council = "readme_council_" + tag;
  ::setenv(test::TestPool::kCouncilPassword, "council-test-password", 0);
  const std::string password = std::getenv(test::TestPool::kCouncilPassword);
  pg::Db admin(server, test::TestPool::kAdminPassword);
  admin.exec("CREATE ROLE " + owner + " LOGIN PASSWORD '" + password + "'");
  admin.exec("CREATE DATABASE " + db + " OWNER " + owner);   // createdb -O pool_owner send_pool
  const std::string as_owner = server + " dbname=" + db + " user=" + owner;
  try {
    migrate_pg_pool(as_owner, test::TestPool::kCouncilPassword, kSchemas);
    ADD_FAILURE() << "a plain owner migrated the pool";
  } catch (const Error& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("lacks CREATEROLE"), std::string::npos) << what;
    EXPECT_NE(what.find("ALTER ROLE " + owner + " CREATEROLE"), std::string::npos) << what;
  }
  {
    pg::Db look(as_owner, test::TestPool::kCouncilPassword);
    EXPECT_EQ(pg::value(look, "SELECT COALESCE(to_regclass('schema_migrations')::text, '')"), "") << "nothing was changed";
  }
  admin.exec("ALTER ROLE " + owner + " CREATEROLE");
  EXPECT_GT(migrate_pg_pool(as_owner, test::TestPool::kCouncilPassword, kSchemas), 0);
  {
    pg::Db as(as_owner, test::TestPool::kCouncilPassword);   // the README's council registration, as the owner
    as.exec("CREATE ROLE " + council + " LOGIN PASSWORD '" + password + "'");
    as.query("SELECT sendhub_add_council($1, $2)", {council, "E09000009"});
  }
  auto store = open_pg_store(server + " dbname=" + db + " user=" + council, test::TestPool::kCouncilPassword, kSchemas);
  load(*store, "R", 3);
  EXPECT_EQ(refs(*store).size(), 3u);
  store.reset();
  admin.exec("DROP DATABASE " + db + " WITH (FORCE)");
  admin.exec("DROP ROLE " + council);
  admin.exec("DROP OWNED BY " + owner);
  admin.exec("DROP ROLE " + owner);
}

}  // namespace
}  // namespace sendhub
