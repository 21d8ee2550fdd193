// The PostgreSQL connection of the regional pool's store (issue 14): the password only from
// the environment, TLS verified in full for any host that is not loopback, errors that name
// no value; and, against the throwaway server scripts/test.sh starts (pg_test_server.sh),
// statements with parameters and COPY loads.
#include <gtest/gtest.h>

#include <cstdlib>

#include "sendhub/error.h"
#include "store/pg/pg_db.h"

namespace sendhub {
namespace {

std::string message_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return std::string(e.field()) + ": " + e.what();
  }
  return "";
}

TEST(PgConnect, LoopbackIsTheLocalSocketLocalhostAnd127Only) {
  EXPECT_TRUE(pg::loopback_only(""));
  EXPECT_TRUE(pg::loopback_only("/var/run/postgresql"));
  EXPECT_TRUE(pg::loopback_only("localhost,127.0.0.1,::1"));
  EXPECT_FALSE(pg::loopback_only("db.council.gov.uk"));
  EXPECT_FALSE(pg::loopback_only("localhost,10.0.0.5"));
  EXPECT_FALSE(pg::loopback_only("128.0.0.1"));
}

TEST(PgConnect, ARemoteHostGetsVerifyFullAndAWeakerModeIsReported) {
  auto remote = pg::connect_options("host=db.council.gov.uk dbname=pool user=c351", "");
  EXPECT_EQ(remote.keywords.at("sslmode"), "verify-full");
  EXPECT_EQ(remote.warning, "");
  auto uri = pg::connect_options("postgresql://c351@db.council.gov.uk/pool", "");
  EXPECT_EQ(uri.keywords.at("sslmode"), "verify-full") << "URIs too";
  auto weak = pg::connect_options("host=db.council.gov.uk sslmode=require", "");
  EXPECT_EQ(weak.keywords.at("sslmode"), "require") << "a mode the council set is kept";
  EXPECT_NE(weak.warning.find("sslmode=require"), std::string::npos) << "but not silently";
  auto local = pg::connect_options("host=127.0.0.1 port=5433", "");
  EXPECT_EQ(local.keywords.count("sslmode"), 0u) << "loopback needs no certificate";
}

TEST(PgConnect, ThePasswordComesOnlyFromTheNamedEnvironmentVariable) {
  const std::string in_config = message_of([] { pg::connect_options("host=db.example password=hunter2", ""); });
  EXPECT_NE(in_config.find("store.conninfo"), std::string::npos) << in_config;
  EXPECT_EQ(in_config.find("hunter2"), std::string::npos) << "the refusal never repeats it";
  ::unsetenv("SENDHUB_TEST_NO_SUCH_PASSWORD");
  const std::string unset = message_of([] { pg::connect_options("host=127.0.0.1", "SENDHUB_TEST_NO_SUCH_PASSWORD"); });
  EXPECT_NE(unset.find("store.password_env"), std::string::npos) << unset;
  ::setenv("SENDHUB_TEST_PG_SECRET", "s3cret", 1);
  EXPECT_EQ(pg::connect_options("host=127.0.0.1", "SENDHUB_TEST_PG_SECRET").keywords.at("password"), "s3cret");
  ::unsetenv("SENDHUB_TEST_PG_SECRET");
  const std::string bad = message_of([] { pg::connect_options("host=127.0.0.1 nonsense=1", ""); });
  EXPECT_NE(bad.find("cannot be read"), std::string::npos) << bad;
}

// Against a real server: the one scripts/test.sh starts. Outside it the tests are skipped,
// but never in CI, which must run them.
class PgServer : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* conninfo = std::getenv("SENDHUB_TEST_PG");
    if (!conninfo || !*conninfo) {
      if (std::getenv("CI")) FAIL() << "CI runs the PostgreSQL tests: run them through scripts/test.sh, which starts a server";
      GTEST_SKIP() << "no test server: scripts/test.sh starts one (scripts/pg_test_server.sh)";
    }
    conninfo_ = conninfo;
  }
  std::string conninfo_;
};

TEST_F(PgServer, ConnectsWithThePasswordFromTheEnvironmentAndRefusesAWrongOne) {
  pg::Db db(conninfo_, "SENDHUB_TEST_PG_PASSWORD");
  EXPECT_EQ(db.query("SELECT $1::int + 1", {std::string("41")}).text(0, 0), "42");
  EXPECT_EQ(db.warning(), "");
  ::setenv("SENDHUB_TEST_PG_WRONG", "not-the-password", 1);
  const std::string wrong = message_of([&] { pg::Db again(conninfo_, "SENDHUB_TEST_PG_WRONG"); });
  EXPECT_NE(wrong.find("cannot connect to PostgreSQL"), std::string::npos) << wrong;
  EXPECT_EQ(wrong.find("not-the-password"), std::string::npos) << "the error never repeats the password";
  ::unsetenv("SENDHUB_TEST_PG_WRONG");
}

TEST_F(PgServer, CopyLoadsRowsWithEveryCharacterAndNullsAsThemselves) {
  pg::Db db(conninfo_, "SENDHUB_TEST_PG_PASSWORD");
  db.exec("CREATE TEMP TABLE t (k text PRIMARY KEY, v text)");
  const std::vector<std::vector<pg::Param>> rows = {
      {std::string("a"), std::string("tab\there, newline\nthere, back\\slash, CR\r")},
      {std::string("b"), std::nullopt},
      {std::string("c"), std::string("")},
      {std::string("d"), std::string("O'Neil-Bront\xC3\xAB")}};
  db.copy_in("COPY t (k, v) FROM STDIN", rows);
  auto r = db.query("SELECT k, v FROM t ORDER BY k");
  ASSERT_EQ(r.rows(), 4);
  EXPECT_EQ(r.text(0, 1), *rows[0][1]);
  EXPECT_TRUE(r.is_null(1, 1));
  EXPECT_FALSE(r.is_null(2, 1));
  EXPECT_EQ(r.text(3, 1), *rows[3][1]);
  EXPECT_EQ(db.query("DELETE FROM t WHERE k = $1", {std::string("b")}).affected(), 1);
}

TEST_F(PgServer, ErrorsNameTheStateButNeverAValue) {
  pg::Db db(conninfo_, "SENDHUB_TEST_PG_PASSWORD");
  db.exec("CREATE TEMP TABLE u (k text PRIMARY KEY, n integer)");
  // A data exception's message quotes the value: only the SQLSTATE is told.
  const std::string data = message_of([&] { db.query("INSERT INTO u VALUES ('x', $1::integer)", {std::string("Smith")}); });
  EXPECT_NE(data.find("SQLSTATE 22P02"), std::string::npos) << data;
  EXPECT_EQ(data.find("Smith"), std::string::npos) << data;
  db.query("INSERT INTO u VALUES ($1, 1)", {std::string("P123")});
  const std::string duplicate = message_of([&] { db.query("INSERT INTO u VALUES ($1, 2)", {std::string("P123")}); });
  EXPECT_NE(duplicate.find("SQLSTATE 23505"), std::string::npos) << duplicate;
  EXPECT_EQ(duplicate.find("P123"), std::string::npos) << "the key's value (in DETAIL) is left out: " << duplicate;
  // A failed COPY leaves the connection usable.
  const std::string copy = message_of([&] { db.copy_in("COPY u (k, n) FROM STDIN", {{std::string("y"), std::string("Jones")}}); });
  EXPECT_NE(copy.find("SQLSTATE 22P02"), std::string::npos) << copy;
  EXPECT_EQ(copy.find("Jones"), std::string::npos) << copy;
  EXPECT_EQ(db.query("SELECT count(*) FROM u").text(0, 0), "1");
}

}  // namespace
}  // namespace sendhub
