// libpq is loaded when a PostgreSQL store is opened, not when sendhub starts (store/pg/libpq.h):
// a run on SQLite never loads it; a pool run does; and a libpq that cannot be loaded is named,
// with the package to install, before the run changes anything.
#include <gtest/gtest.h>

#include <cstdlib>

#include "pg_pool.h"
#include "store/pg/libpq.h"
#include "test_support.h"

namespace sendhub {
namespace {

// glibc's loader names every library it opens (LD_DEBUG=files), whether linked or dlopen'd.
bool loads_libpq(const std::string& output) { return output.find("file=libpq.so") != std::string::npos; }

TEST(Libpq, ARunOnSqliteNeverLoadsIt) {
  test::TempDir dir;
  const std::string config = test::demo_config(dir, 20);
  const auto run = test::run("LD_DEBUG=files " SENDHUB_BINARY " run --config " + config);
  ASSERT_LE(run.code, 1) << run.output;
  EXPECT_NE(run.output.find("file=libPocoFoundation"), std::string::npos) << "LD_DEBUG=files names what is loaded";
  EXPECT_FALSE(loads_libpq(run.output)) << "a SQLite store needs no libpq";
}

TEST(Libpq, APoolRunLoadsItWhenItOpensTheStore) {
  if (!std::getenv("SENDHUB_TEST_PG")) GTEST_SKIP() << "no PostgreSQL server for tests (scripts/pg_test_server.sh)";
  test::TempDir dir;
  test::TestPool pool(SENDHUB_SOURCE_DIR "/schemas");
  const std::string cfg = test::pool_demo_config(dir, test::demo_config(dir, 20), pool.council("351"));
  const auto run = test::run("LD_DEBUG=files " SENDHUB_BINARY " run --config " + cfg);
  ASSERT_LE(run.code, 1) << run.output;
  EXPECT_TRUE(loads_libpq(run.output));
}

TEST(Libpq, ALibpqThatCannotBeLoadedIsNamedWithThePackageBeforeAnythingIsDone) {
  test::TempDir dir;
  const std::string config = test::demo_config(dir, 20);
  const std::string pool = dir / "config/pool.json";
  test::write_file(pool, test::replace_all(test::read_file(config), "{ \"kind\": \"sqlite\", \"path\": \"../var/sendhub.db\" }",
                                           "{ \"kind\": \"postgresql\", \"conninfo\": \"host=/nonexistent dbname=pool\", "
                                           "\"password_env\": \"SENDHUB_NO_SUCH_PASSWORD\", \"dir\": \"../pool\" }"));
  const auto run = test::run("SENDHUB_LIBPQ=libsendhub-no-such-libpq.so.5 " SENDHUB_BINARY " run --config " + pool);
  EXPECT_GE(run.code, 2) << run.output;
  EXPECT_NE(run.output.find("libsendhub-no-such-libpq.so.5"), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("the PostgreSQL store needs libpq"), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("install the libpq5 package"), std::string::npos) << run.output;
  EXPECT_FALSE(std::filesystem::exists(dir / "pool/out")) << "nothing was written";
}

TEST(Libpq, EveryFunctionTheStoreCallsIsResolved) {
  const pg::Libpq& lib = pg::libpq();
  EXPECT_TRUE(pg::libpq_loaded());
#define SENDHUB_LIBPQ_CHECK(name) EXPECT_NE(lib.name, nullptr) << #name;
  SENDHUB_LIBPQ_FUNCTIONS(SENDHUB_LIBPQ_CHECK)
#undef SENDHUB_LIBPQ_CHECK
  EXPECT_EQ(lib.PQresultStatus(nullptr), PGRES_FATAL_ERROR) << "the functions are libpq's own";
}

}  // namespace
}  // namespace sendhub
