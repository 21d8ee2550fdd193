// Issue 11: no work redone on unchanged inputs. A file unchanged since it was read whole
// is not parsed again, linking and an unchanged year's validation are reused, and a sink
// whose inputs, configuration and outputs are unchanged rewrites nothing; any change
// (a file, a profile, an output touched by hand) brings the work back.
#include <gtest/gtest.h>

#include <regex>
#include <sqlite3.h>

#include <filesystem>

#include "test_support.h"

namespace sendhub {
namespace {

namespace fs = std::filesystem;
using test::TempDir;

class NoWorkRedone : public ::testing::Test {
 protected:
  void SetUp() override {
    test::demo_config(dir_, 60);   // and 12 children whose requests are still open (gen_sample.py)
    first_ = run();
  }
  std::string config() const { return dir_ / "config/demo.json"; }
  test::Result run() { return test::sendhub("run --as-at 2026-11-24 --config " + config()); }
  fs::file_time_type written(const std::string& output) const { return fs::last_write_time(dir_ / ("var/out/" + output)); }
  // Sum of a run_sources column over the latest run.
  long long last_run(const std::string& column) const {
    sqlite3* db = nullptr;
    sqlite3_open((dir_ / "var/sendhub.db").c_str(), &db);
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(db, ("SELECT SUM(" + column + ") FROM run_sources WHERE run_id = (SELECT MAX(run_id) FROM runs)").c_str(),
                       -1, &st, nullptr);
    long long n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
    sqlite3_finalize(st);
    sqlite3_close(db);
    return n;
  }
  TempDir dir_;
  test::Result first_;
};

TEST_F(NoWorkRedone, AnUnchangedRerunReadsNothingRelinksNothingAndRewritesNothing) {
  ASSERT_EQ(first_.code, 0) << first_.output;
  const auto kpis = written("kpis/kpis.csv"), ret = written("sen2-2026.xml");
  auto again = run();
  ASSERT_EQ(again.code, 0) << again.output;
  EXPECT_EQ(last_run("files_skipped"), 8) << "three returns, three exports and two censuses, unchanged: " << again.output;
  EXPECT_EQ(last_run("stored") + last_run("removed"), 0);
  EXPECT_NE(again.output.find("linking: nothing changed since the last linking"), std::string::npos) << again.output;
  EXPECT_NE(again.output.find("the 2026 return has not changed since it was last validated"), std::string::npos);
  EXPECT_NE(again.output.find("sen2-return-2026: unchanged since run 1"), std::string::npos) << again.output;
  EXPECT_NE(again.output.find("kpis: unchanged since run 1"), std::string::npos) << again.output;
  EXPECT_EQ(written("kpis/kpis.csv"), kpis);
  EXPECT_EQ(written("sen2-2026.xml"), ret);
  EXPECT_NE(again.output.find("\"note\":\"unchanged since run 1"), std::string::npos) << "the summary says so";
}

TEST_F(NoWorkRedone, AnOutputChangedByHandIsWrittenAgain) {
  ASSERT_EQ(first_.code, 0) << first_.output;
  const std::string original = test::read_file(dir_ / "var/out/sen2-2026.xml");
  test::write_file(dir_ / "var/out/sen2-2026.xml", original + "<!-- edited -->\n");
  auto again = run();
  ASSERT_EQ(again.code, 0) << again.output;
  EXPECT_EQ(again.output.find("sen2-return-2026: unchanged"), std::string::npos) << again.output;
  EXPECT_EQ(test::read_file(dir_ / "var/out/sen2-2026.xml"), original);
  EXPECT_NE(again.output.find("kpis: unchanged since run 1"), std::string::npos) << "the other sink stands";
}

TEST_F(NoWorkRedone, AChangedProfileOrFileIsReadAgainAndChangesFlowThrough) {
  ASSERT_EQ(first_.code, 0) << first_.output;
  // The same mapping, written differently: its source reads its file again.
  const std::string profile = dir_ / "config/profiles/example-people.json";
  test::write_file(profile, test::read_file(profile) + "\n");
  auto again = run();
  ASSERT_EQ(again.code, 0) << again.output;
  EXPECT_NE(again.output.find("cms-people: 72 read, 0 stored, 72 unchanged"), std::string::npos) << again.output;
  EXPECT_EQ(last_run("files_skipped"), 7);
  // A changed return: read again, relinked, revalidated, and the sinks run.
  const std::string file = dir_ / "var/sample/sen2/sen2_2025.xml";
  std::string xml = test::read_file(file);
  const auto at = xml.find("<Surname>");
  xml.replace(at + 9, 1, "Q");
  test::write_file(file, xml);
  auto changed = run();
  EXPECT_LE(changed.code, 1) << changed.output;
  EXPECT_NE(changed.output.find("sen2-returns: "), std::string::npos);
  EXPECT_EQ(last_run("stored"), 1) << changed.output;
  EXPECT_NE(changed.output.find("the 2025 return: "), std::string::npos) << "2025 is validated again";
  EXPECT_NE(changed.output.find("the 2024 return has not changed"), std::string::npos) << "2024 is not";
  EXPECT_EQ(changed.output.find("linking: nothing changed"), std::string::npos);
  EXPECT_NE(changed.output.find("linking: only what 1 changed person and advice records touch, linked again"),
            std::string::npos) << "only the changed person's people are linked again: " << changed.output;
  EXPECT_EQ(changed.output.find("kpis: unchanged"), std::string::npos) << changed.output;
}

// An unchanged file with a quarantined row is not read again (issue 30), yet its problem is
// reported, counted and kept in the quarantine table every run until the file is fixed, as a
// reading would; when retention has taken the quarantined rows, the file is read again.
TEST_F(NoWorkRedone, AFileWithAQuarantinedRowIsReportedEveryTimeUntilFixed) {
  ASSERT_EQ(first_.code, 0) << first_.output;
  const std::string people = dir_ / "var/sample/cms/people.csv";
  const std::string good = test::read_file(people);
  test::write_file(people, good + "P999999,,,not a date,,,\r\n");
  auto bad = run();
  EXPECT_EQ(bad.code, 1) << bad.output;
  EXPECT_NE(bad.output.find("cms-people: 73 read, 0 stored, 72 unchanged, 1 quarantined"), std::string::npos) << bad.output;
  const auto reason = bad.output.find("quarantined: " + people + ":74");
  ASSERT_NE(reason, std::string::npos) << bad.output;
  const std::string line = bad.output.substr(reason, bad.output.find('\n', reason) - reason);
  for (int round = 0; round < 2; ++round) {
    auto again = run();
    EXPECT_EQ(again.code, 1) << "the problem is reported again, not hidden by the skip: " << again.output;
    EXPECT_NE(again.output.find(line), std::string::npos) << "the same words: " << line << "\n" << again.output;
    EXPECT_NE(again.output.find("cms-people: 1 read, 0 stored, 0 unchanged, 1 quarantined, 0 removed; 1 files unchanged"),
              std::string::npos) << again.output;
    EXPECT_EQ(last_run("quarantined"), 1);
    EXPECT_EQ(test::sql_text(dir_ / "var/sendhub.db", "SELECT COUNT(*) FROM quarantine WHERE run_id = (SELECT MAX(run_id) FROM runs)"), "1")
        << "the quarantined row is in the run that reported it, for retention to count from";
  }
  test::sql_text(dir_ / "var/sendhub.db", "DELETE FROM quarantine");   // retention took them
  auto reread = run();
  EXPECT_EQ(reread.code, 1) << reread.output;
  EXPECT_NE(reread.output.find("cms-people: 73 read, 0 stored, 72 unchanged, 1 quarantined"), std::string::npos) << reread.output;
  test::write_file(people, good);   // fixed
  auto fixed = run();
  EXPECT_EQ(fixed.code, 0) << fixed.output;
  EXPECT_EQ(last_run("quarantined"), 0);
}

}  // namespace
}  // namespace sendhub

namespace sendhub {
namespace {

// --verbose says, after each stage, how long it took and the process's peak memory so far,
// so the stage that sets a run's peak can be found (BENCHMARKS.md).
TEST(StageLines, VerboseRunsSayEachStagesTimeAndThePeakMemorySoFar) {
  test::TempDir dir;
  const auto config = test::demo_config(dir, 40);
  auto r = test::sendhub("run --verbose --as-at 2026-01-15 --config " + config);
  ASSERT_LE(r.code, 1) << r.output;
  for (const char* stage : {"sen2-returns", "linking", "validation", "kpis", "pool-extract"}) {
    const std::regex line(std::string("sendhub: ") + stage + R"(: took [0-9.]+ s \(peak memory so far [1-9][0-9]* MB\))");
    EXPECT_TRUE(std::regex_search(r.output, line)) << stage << "\n" << r.output.substr(0, 3000);
  }
}

}  // namespace
}  // namespace sendhub
