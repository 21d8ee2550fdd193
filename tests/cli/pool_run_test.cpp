// The nightly run on a council's part of a PostgreSQL pool (issue 14) gives what it gives
// on SQLite: the demo council run once on each, every output (the SEN2 return, KPIs, case
// extracts, conflicts, the pseudonymised extract) byte for byte the same; and a second run
// on the pool rewrites no record.
#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>

#include "pg_pool.h"
#include "sendhub/csv.h"
#include "store/pg/pg_db.h"
#include "test_support.h"

namespace sendhub {
namespace {

namespace fs = std::filesystem;

// A file's content, without the time it was written (the SEN2 header's DateTime).
std::string written(const std::string& path) {
  std::string text = test::read_file(path);
  const std::size_t from = text.find("<DateTime>"), to = text.find("</DateTime>");
  if (from != std::string::npos && to != std::string::npos) text.erase(from, to - from);
  return text;
}

// Every output of the SQLite run (var/out) is in the pool's (pool/out), byte for byte.
void expect_same_outputs(const test::TempDir& dir) {
  std::size_t files = 0;
  for (const auto& e : fs::recursive_directory_iterator(dir / "var/out")) {
    if (!e.is_regular_file()) continue;
    const fs::path rel = fs::relative(e.path(), dir / "var/out");
    ASSERT_TRUE(fs::exists(dir / "pool/out" / rel)) << rel;
    EXPECT_TRUE(written(e.path().string()) == written((fs::path(dir.path()) / "pool/out" / rel).string())) << rel << " differs";
    ++files;
  }
  EXPECT_GE(files, 8u);
}

// Runs the demo configuration on SQLite and on the pool: both end the same way (0, or 3 when
// a sink withholds an output for its errors). Returns SQLite's exit code.
int run_both(const std::string& config, const std::string& pool_config) {
  auto on_sqlite = test::sendhub("run --config " + config);
  auto on_pool = test::sendhub("run --config " + pool_config);
  EXPECT_TRUE(on_sqlite.code == 0 || on_sqlite.code == 3) << on_sqlite.output;
  EXPECT_EQ(on_pool.code, on_sqlite.code) << on_pool.output;
  return on_sqlite.code;
}

// The demo (80 children) configured on SQLite and on a council's part of a fresh pool.
struct DemoOnBoth {
  test::TempDir dir;
  std::string config = test::demo_config(dir, 80);
  test::TestPool pool{SENDHUB_SOURCE_DIR "/schemas"};
  std::string pool_config = test::pool_demo_config(dir, config, pool.council("351"));
};

TEST(PoolRun, TheDemoRunOnThePoolWritesWhatItWritesOnSqliteAndRerunsRewriteNothing) {
  SENDHUB_REQUIRE_PG();
  DemoOnBoth demo;
  ASSERT_EQ(run_both(demo.config, demo.pool_config), 0);
  expect_same_outputs(demo.dir);

  auto again = test::sendhub("run --config " + demo.pool_config);
  ASSERT_EQ(again.code, 0) << again.output;
  int sources = 0;
  std::istringstream lines(again.output);
  for (std::string line; std::getline(lines, line);)
    if (line.find(" stored, ") != std::string::npos && line.find('{') == std::string::npos) {
      ++sources;
      EXPECT_NE(line.find(" 0 stored, "), std::string::npos) << line;
    }
  EXPECT_EQ(sources, 6) << again.output;
}

// The pool writes only the rows of its dataset index (and links, and records) that changed:
// after people leave the export and one takes another's UPN (so whole groups move), its
// outputs are still SQLite's, round after round.
TEST(PoolRun, AfterChangesThatMoveRecordsBetweenPeopleThePoolStillWritesWhatSqliteWrites) {
  SENDHUB_REQUIRE_PG();
  DemoOnBoth demo;
  ASSERT_EQ(run_both(demo.config, demo.pool_config), 0);
  const std::string people = demo.dir / "var/sample/cms/people.csv";
  for (int round = 0; round < 2; ++round) {
    std::istringstream in(test::read_file(people));
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    ASSERT_GT(lines.size(), 12u);
    // Round 0: the fourth person takes the fifth's UPN (column 8); round 1: two people leave.
    if (round == 0) {   // the sample's export quotes nothing
      auto cells = [](const std::string& line) {
        std::vector<std::string> out(1);
        for (char c : line) {
          if (c == ',') out.emplace_back();
          else out.back().push_back(c);
        }
        return out;
      };
      auto fourth = cells(lines[4]);
      const auto fifth = cells(lines[5]);
      ASSERT_GT(fourth.size(), 8u);
      ASSERT_NE(fourth[7], fifth[7]);
      fourth[7] = fifth[7];
      lines[4].clear();
      for (const auto& c : fourth) lines[4] += (lines[4].empty() ? "" : ",") + c;
    } else {
      lines.erase(lines.begin() + 2, lines.begin() + 4);
    }
    std::string text;
    for (const auto& l : lines) text += l + "\n";
    test::write_file(people, text);
    run_both(demo.config, demo.pool_config);
    SCOPED_TRACE("round " + std::to_string(round));
    expect_same_outputs(demo.dir);
  }
}

// The pool reader's views (made at pool-migrate from schemas/privacy/pseudonymise.json) give,
// kind by kind and row by row, what the council's own pseudonymised extract writes; the reader
// can read nothing else, and a council cannot read the views.
TEST(PoolRun, ThePoolReaderSeesExactlyThePseudonymisedExtractAndNothingElse) {
  SENDHUB_REQUIRE_PG();
  test::TempDir dir;
  const std::string config = test::demo_config(dir, 60);
  test::TestPool pool(SENDHUB_SOURCE_DIR "/schemas");
  const std::string council = pool.council("351");
  const std::string cfg = test::pool_demo_config(dir, config, council);
  auto run = test::sendhub("run --config " + cfg);
  ASSERT_EQ(run.code, 0) << run.output;
  ASSERT_NE(run.output.find("resolved dataset for pool readers: "), std::string::npos) << run.output;

  pg::Db as_reader(pool.reader(), test::TestPool::kCouncilPassword);
  std::size_t rows = 0;
  for (const auto& k : kKinds) {
    if (k.kind == RecordKind::la_return) continue;
    const std::string extract = test::read_file(dir / ("pool/out/pool/" + std::string(k.name) + ".csv"));
    const std::string header = extract.substr(0, extract.find("\r\n"));
    const std::string columns = test::replace_all(test::replace_all(header, "person_key,", "COALESCE(person_key, ''),"), ",", ", ");
    const pg::Result r = as_reader.query("SELECT " + columns + " FROM sendhub_pool." + std::string(k.name) + " ORDER BY record_no");
    std::string viewed = header + "\r\n";
    for (int row = 0; row < r.rows(); ++row) {
      for (int col = 0; col < r.columns(); ++col) {
        if (col) viewed += ',';
        csv::append_field(viewed, r.text(row, col));
      }
      viewed += "\r\n";
    }
    EXPECT_TRUE(viewed == extract) << k.name << ": the view differs from the extract";
    rows += static_cast<std::size_t>(r.rows());
  }
  EXPECT_GT(rows, 200u);
  EXPECT_EQ(as_reader.query("SELECT DISTINCT council FROM sendhub_pool.request").text(0, 0), "351");
  EXPECT_EQ(as_reader.query("SELECT COUNT(*) FROM sendhub_pool.person WHERE birth_date NOT LIKE '%-01'").text(0, 0), "0");
  for (const char* table : {"person", "resolved_person", "person_link", "linked_person", "quarantine", "runs"})
    EXPECT_THROW(as_reader.query(std::string("SELECT 1 FROM ") + table), Error) << table;
  pg::Db as_council(council, test::TestPool::kCouncilPassword);
  EXPECT_THROW(as_council.query("SELECT 1 FROM sendhub_pool.person"), Error);
  EXPECT_GT(std::stoll(as_council.query("SELECT COUNT(*) FROM resolved_request").text(0, 0)), 0);
}

}  // namespace
}  // namespace sendhub
