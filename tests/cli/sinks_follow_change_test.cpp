// Issue 30.5: sinks follow the change. The sinks that keep their work on each person between
// runs (SinkContext::each_person_part: the pseudonymised extract, the inspection lists at a
// fixed date) write,
// round after round of changes, what they write from a fresh store, and after a change derive
// again only the people it touched. A damaged part is an error naming it, and the next run
// derives everyone again.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <regex>
#include <sstream>
#include <thread>
#include <vector>

#include "test_support.h"

namespace sendhub {
namespace {

namespace fs = std::filesystem;

// "<sink>: derived N of M people again" -> {N, M}, "derived all M people" -> {M, M}; {-1, -1}
// when the line is missing.
std::pair<long, long> derived(const std::string& output, const std::string& sink) {
  std::smatch m;
  if (std::regex_search(output, m, std::regex(sink + ": derived all ([0-9]+) people and kept their parts")))
    return {std::stol(m[1]), std::stol(m[1])};
  if (!std::regex_search(output, m, std::regex(sink + ": derived ([0-9]+) of ([0-9]+) people again"))) return {-1, -1};
  return {std::stol(m[1]), std::stol(m[2])};
}

// One run of the demo's configuration (demo_config) as at the demo's date.
test::Result run_demo(const std::string& config) { return test::run(SENDHUB_BINARY " run --as-at 2026-01-15 --config " + config); }

std::map<std::string, std::string> kept_outputs(const test::TempDir& dir) {
  auto all = test::output_files(dir / "var/out", dir / "");
  std::map<std::string, std::string> out;
  for (auto& [path, bytes] : all)
    if (path.rfind("pool/", 0) == 0 || path.rfind("inspection/", 0) == 0 || path.rfind("alerts/", 0) == 0)
      out[path] = std::move(bytes);
  return out;
}

TEST(SinksFollowTheChange, RoundAfterRoundTheyWriteWhatAFreshStoreGives) {
  test::TempDir dir;
  const std::string config = test::demo_config(dir, 150);
  auto first = run_demo(config);
  ASSERT_LE(first.code, 1) << first.output;
  const auto all = derived(first.output, "pool-extract");
  EXPECT_GT(all.first, 100) << "a first run derives everyone: " << first.output;
  EXPECT_EQ(all.first, all.second);
  for (int round = 1; round <= 3; ++round) {
    test::change_people(dir / "var/sample/cms/people.csv", round);
    auto r = run_demo(config);
    ASSERT_LE(r.code, 3) << r.output;   // 3: the return withheld for errors in the data
    for (const char* sink : {"pool-extract", "inspection-lists"}) {
      const auto [again, of] = derived(r.output, sink);
      EXPECT_GT(again, 0) << sink << ", round " << round << ": " << r.output;
      // Round 3 moves most rows (people left above them): those are stored and derived again.
      if (round < 3) {
        EXPECT_LT(again, of / 4) << sink << ", round " << round << ": only the people the change touched";
      }
    }
    test::TempDir fresh;
    fs::copy(dir / "config", fresh / "config", fs::copy_options::recursive);
    fs::create_directories(fresh / "var");
    fs::copy(dir / "var/sample", fresh / "var/sample", fs::copy_options::recursive);
    auto f = run_demo(fresh / "config/demo.json");
    ASSERT_EQ(f.code, r.code) << f.output;
    const auto kept = kept_outputs(dir), afresh = kept_outputs(fresh);
    ASSERT_GT(afresh.size(), 6u);
    for (const auto& [path, bytes] : afresh) EXPECT_TRUE(kept.at(path) == bytes) << path << ", round " << round;
  }
}

TEST(SinksFollowTheChange, ADamagedPartIsAnErrorAndTheNextRunDerivesEveryoneAgain) {
  test::TempDir dir;
  const std::string config = test::demo_config(dir, 40);
  auto first = run_demo(config);
  const auto before = kept_outputs(dir);
  test::sql_text(dir / "var/sendhub.db", "UPDATE sink_part SET bytes = substr(bytes, 1, length(bytes) - 2) "
                                          "WHERE sink = 'pool-extract' AND grp = (SELECT MIN(grp) FROM sink_part)");
  fs::remove(dir / "var/out/pool/person.csv");   // so that the sink runs again, from its parts
  auto r = run_demo(config);
  EXPECT_EQ(r.code, 3) << r.output;
  EXPECT_NE(r.output.find("pool-extract: failed, its earlier outputs are unchanged: a kept part of a person ends too soon"),
            std::string::npos) << r.output;
  EXPECT_NE(r.output.find("this sink's kept parts are deleted"), std::string::npos) << r.output;
  EXPECT_EQ(test::sql_text(dir / "var/sendhub.db", "SELECT COUNT(*) FROM sink_part WHERE sink = 'pool-extract'"), "0");
  auto again = run_demo(config);
  EXPECT_EQ(again.code, first.code) << again.output;
  const auto [n, of] = derived(again.output, "pool-extract");
  EXPECT_EQ(n, of) << again.output;
  EXPECT_GT(n, 30);
  EXPECT_TRUE(kept_outputs(dir) == before);
}

// The store keeps each group's copy (merged, as the sinks see it): a copy damaged outside the
// hub is an error naming it, every copy is deleted (the sinks after it walk the record tables
// and make them again), and the next run writes what the first wrote.
TEST(SinksFollowTheChange, ADamagedCopyIsAnErrorAndTheNextRunMakesEveryCopyAgain) {
  test::TempDir dir;
  const std::string config = test::demo_config(dir, 40);
  auto first = run_demo(config);
  ASSERT_LE(first.code, 1) << first.output;
  const auto before = test::output_files(dir / "var/out", dir / "");
  const std::string db = dir / "var/sendhub.db";
  ASSERT_NE(test::sql_text(db, "SELECT COUNT(*) FROM group_copy"), "0");
  test::sql_text(db, "UPDATE group_copy SET bytes = substr(bytes, 1, length(bytes) - 2) WHERE grp = (SELECT MIN(grp) FROM group_copy)");
  fs::remove(dir / "var/out/return_readiness_2026.csv");   // so that the return's sink walks again, first
  auto r = run_demo(config);
  EXPECT_EQ(r.code, 3) << r.output;
  EXPECT_NE(r.output.find("every copy the store kept is deleted"), std::string::npos) << r.output;
  auto again = run_demo(config);
  EXPECT_EQ(again.code, first.code) << again.output;
  EXPECT_NE(test::sql_text(db, "SELECT COUNT(*) FROM group_copy"), "0");
  EXPECT_TRUE(test::output_files(dir / "var/out", dir / "") == before);
}

// The inspection lists at the run's date (no as_at of their own) keep nothing: that date moves
// every night, and every row would be built and kept again nightly.
TEST(SinksFollowTheChange, TheInspectionListsAtTheRunsDateKeepNoParts) {
  test::TempDir dir;
  const std::string config = test::demo_config(dir, 40);
  std::string cfg = test::read_file(config);
  const auto at = cfg.find("\"as_at\": \"2026-01-15\", ");
  ASSERT_NE(at, std::string::npos) << "the demo's lists have a date of their own";
  cfg.erase(at, std::string("\"as_at\": \"2026-01-15\", ").size());
  test::write_file(config, cfg);
  auto r = test::run(SENDHUB_BINARY " run --as-at 2026-01-15 --config " + config);
  EXPECT_NE(r.output.find("inspection-lists: the inspection lists as at 2026-01-15"), std::string::npos) << r.output;
  EXPECT_EQ(derived(r.output, "inspection-lists").first, -1) << r.output;
  EXPECT_EQ(test::sql_text(dir / "var/sendhub.db", "SELECT COUNT(*) FROM sink_part WHERE sink = 'inspection-lists'"), "0");
  EXPECT_NE(test::sql_text(dir / "var/sendhub.db", "SELECT COUNT(*) FROM sink_part WHERE sink = 'pool-extract'"), "0");
}

// The parts are kept under the plugin library's build-id: the same build copied in again (a
// redeployment, a package reinstalled: another inode, other times) derives only the change.
// Under the library's stat every person was derived again.
TEST(SinksFollowTheChange, TheSameBuildCopiedInAgainKeepsTheParts) {
  test::TempDir dir;
  const std::string config = test::demo_config(dir, 40);
  const fs::path plugins = dir / "plugins";
  fs::copy(SENDHUB_TEST_PLUGIN_DIR, plugins, fs::copy_options::recursive);
  std::string cfg = test::read_file(config);
  cfg.replace(cfg.find(SENDHUB_TEST_PLUGIN_DIR), std::string(SENDHUB_TEST_PLUGIN_DIR).size(), plugins.string());
  test::write_file(config, cfg);
  auto first = run_demo(config);
  ASSERT_LE(first.code, 3) << first.output;
  ASSERT_EQ(derived(first.output, "pool-extract").first, derived(first.output, "pool-extract").second);
  fs::remove_all(plugins);
  fs::copy(SENDHUB_TEST_PLUGIN_DIR, plugins, fs::copy_options::recursive);
  std::this_thread::sleep_for(std::chrono::seconds(3));   // past the 2 s in which a stat is not trusted
  test::change_people(dir / "var/sample/cms/people.csv", 1);
  auto r = run_demo(config);
  ASSERT_LE(r.code, 3) << r.output;
  const auto [again, of] = derived(r.output, "pool-extract");
  EXPECT_GT(again, 0) << r.output;
  EXPECT_LT(again, of / 4) << "only the people the change touched: " << r.output;
}

// A sink taken out of the configuration leaves no parts behind: the next run deletes them.
TEST(SinksFollowTheChange, ASinkNoLongerConfiguredLeavesNoParts) {
  test::TempDir dir;
  const std::string config = test::demo_config(dir, 40);
  run_demo(config);
  const std::string db = dir / "var/sendhub.db";
  ASSERT_NE(test::sql_text(db, "SELECT COUNT(*) FROM sink_part WHERE sink = 'pool-extract'"), "0");
  std::string cfg = test::read_file(config);
  const auto at = cfg.find("{ \"name\": \"pool-extract\"");
  ASSERT_NE(at, std::string::npos);
  cfg.erase(at, cfg.find('}', at) + 2 - at);   // the sink and the comma after it
  test::write_file(config, cfg);
  auto r = run_demo(config);
  EXPECT_NE(r.output.find("deleted the kept parts of pool-extract, a sink no longer configured"), std::string::npos)
      << r.output;
  EXPECT_EQ(test::sql_text(db, "SELECT COUNT(*) FROM sink_part WHERE sink = 'pool-extract'"), "0");
  EXPECT_EQ(test::sql_text(db, "SELECT COUNT(*) FROM dataset_state WHERE key = 'parts:pool-extract'"), "0");
  EXPECT_NE(test::sql_text(db, "SELECT COUNT(*) FROM sink_part WHERE sink = 'inspection-lists'"), "0") << "the others stay";
}

}  // namespace
}  // namespace sendhub
