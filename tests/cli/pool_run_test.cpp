// The nightly run on a council's part of a PostgreSQL pool (issue 14) gives what it gives
// on SQLite: the demo council run once on each, every output (the SEN2 return, KPIs, case
// extracts, conflicts, the pseudonymised extract) byte for byte the same; and a second run
// on the pool rewrites no record.
#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>

#include "pg_pool.h"
#include "test_support.h"

namespace sendhub {
namespace {

namespace fs = std::filesystem;

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  for (std::size_t at = 0; (at = s.find(from, at)) != std::string::npos; at += to.size()) s.replace(at, from.size(), to);
  return s;
}

// A file's content, without the time it was written (the SEN2 header's DateTime).
std::string written(const std::string& path) {
  std::string text = test::read_file(path);
  const std::size_t from = text.find("<DateTime>"), to = text.find("</DateTime>");
  if (from != std::string::npos && to != std::string::npos) text.erase(from, to - from);
  return text;
}

TEST(PoolRun, TheDemoRunOnThePoolWritesWhatItWritesOnSqliteAndRerunsRewriteNothing) {
  SENDHUB_REQUIRE_PG();
  test::TempDir dir;
  const std::string config = test::demo_config(dir, 80);
  auto on_sqlite = test::sendhub("run --config " + config);
  ASSERT_EQ(on_sqlite.code, 0) << on_sqlite.output;

  test::TestPool pool(SENDHUB_SOURCE_DIR "/schemas");
  const std::string conninfo = pool.council("351");
  std::string cfg = test::read_file(config);
  cfg = replace_all(cfg, "{ \"kind\": \"sqlite\", \"path\": \"../var/sendhub.db\" }",
                    "{ \"kind\": \"postgresql\", \"conninfo\": \"" + conninfo + "\", \"password_env\": \"" +
                        test::TestPool::kCouncilPassword + "\", \"dir\": \"../pool\" }");
  cfg = replace_all(replace_all(cfg, "../var/out", "../pool/out"), "../var/sendhub.log", "../pool/sendhub.log");
  const std::string pool_config = dir / "config/pool.json";
  test::write_file(pool_config, cfg);
  auto first = test::sendhub("run --config " + pool_config);
  ASSERT_EQ(first.code, 0) << first.output;

  std::size_t files = 0;
  for (const auto& e : fs::recursive_directory_iterator(dir / "var/out")) {
    if (!e.is_regular_file()) continue;
    const fs::path rel = fs::relative(e.path(), dir / "var/out");
    ASSERT_TRUE(fs::exists(dir / "pool/out" / rel)) << rel;
    EXPECT_TRUE(written(e.path().string()) == written((fs::path(dir.path()) / "pool/out" / rel).string())) << rel << " differs";
    ++files;
  }
  EXPECT_GE(files, 8u);

  auto again = test::sendhub("run --config " + pool_config);
  ASSERT_EQ(again.code, 0) << again.output;
  int sources = 0;
  std::istringstream lines(again.output);
  for (std::string line; std::getline(lines, line);)
    if (line.find(" stored, ") != std::string::npos && line.find("{") == std::string::npos) {
      ++sources;
      EXPECT_NE(line.find(" 0 stored, "), std::string::npos) << line;
    }
  EXPECT_EQ(sources, 5) << again.output;
}

}  // namespace
}  // namespace sendhub
