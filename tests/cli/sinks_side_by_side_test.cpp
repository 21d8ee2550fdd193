// Issue 30: once the first sink's walk has kept the dataset's copies, the sinks after it run
// side by side (pipeline/sink_stage.h). Whatever they run beside, they write what they write one
// after another: with the copies in memory or spilled to a file, on a first run and round after
// round of changes (the sinks that keep parts derive the changed people while another sink reads
// the copies and calls the store).
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "test_support.h"

namespace sendhub {
namespace {

struct Council {
  test::TempDir dir;
  std::string config;
  Council(const std::string& budget, int threads) {
    config = test::demo_config(dir, 150);
    std::string cfg = test::read_file(config);
    cfg.replace(cfg.find("\"sources\""), 0, "\"memory_budget_mb\": " + budget + ", \"sink_threads\": " +
                                                std::to_string(threads) + ", ");
    test::write_file(config, cfg);
  }
  test::Result run() const { return test::run(SENDHUB_BINARY " run --as-at 2026-01-15 --config " + config); }
  std::map<std::string, std::string> outputs() const { return test::output_files(dir / "var/out", dir / ""); }
};

TEST(SinksSideBySide, WriteWhatTheyWriteOneAfterAnotherRoundAfterRound) {
  for (const std::string budget : {"256", "0.2"}) {   // the copies in memory; spilled to a file
    Council one(budget, 1), two(budget, 2), more(budget, 8);
    for (int round = 0; round <= 3; ++round) {
      if (round > 0)
        for (const Council* c : {&one, &two, &more}) test::change_people(c->dir / "var/sample/cms/people.csv", round);
      const auto a = one.run(), b = two.run(), c = more.run();
      ASSERT_LE(a.code, 3) << a.output;   // 3: the return withheld for errors in the data
      EXPECT_EQ(b.code, a.code) << b.output;
      EXPECT_EQ(c.code, a.code) << c.output;
      EXPECT_EQ(a.output.find("at a time"), std::string::npos) << a.output;
      EXPECT_NE(b.output.find("the 4 sinks after sen2-return-2026 run 2 at a time"), std::string::npos) << b.output;
      EXPECT_NE(c.output.find("the 4 sinks after sen2-return-2026 run 4 at a time"), std::string::npos) << c.output;
      std::size_t last = 0;   // the run summary lists the sinks in the configured order
      for (const char* sink : {"sen2-return-2026", "kpis", "inspection-lists", "pool-extract", "alerts"}) {
        const auto at = b.output.find("\"name\":\"" + std::string(sink) + "\"");
        EXPECT_TRUE(at != std::string::npos && at > last) << sink << ": " << b.output;
        last = at == std::string::npos ? last : at;
      }
      const auto alone = one.outputs();
      ASSERT_GT(alone.size(), 10u);
      EXPECT_TRUE(two.outputs() == alone) << "two at a time, budget " << budget << ", round " << round;
      EXPECT_TRUE(more.outputs() == alone) << "four at a time, budget " << budget << ", round " << round;
    }
  }
}

// The sinks side by side start longest first by what each took in the last run that ran it (kept
// with its outcome); outputs and the run summary's order do not change with it.
TEST(SinksSideBySide, TheLongestByTheLastRunStartFirst) {
  Council one("256", 1), two("256", 2);
  ASSERT_LE(one.run().code, 3);
  const auto first = two.run();
  ASSERT_LE(first.code, 3) << first.output;
  EXPECT_EQ(first.output.find("the longest by the last run first"), std::string::npos) << "nothing known yet: " << first.output;
  const std::string db = two.dir / "var/sendhub.db";
  // What each took, as the store keeps it: the third line's last field. Pretend the alerts took
  // longest and the extract next.
  for (const auto& [sink, seconds] : std::map<std::string, std::string>{{"kpis", "1.5"}, {"inspection-lists", "2.5"},
                                                                        {"pool-extract", "50"}, {"alerts", "99.25"}}) {
    std::string value = test::sql_text(db, "SELECT value FROM dataset_state WHERE key = 'sink." + sink + "'");
    const auto third = value.find('\n', value.find('\n') + 1) + 1, end = value.find('\n', third);
    const auto tab = value.rfind('\t', end);
    ASSERT_TRUE(third > 0 && end != std::string::npos && tab != std::string::npos && tab > third) << sink << ": " << value;
    EXPECT_GT(std::stod(value.substr(tab + 1, end - tab - 1)), 0.0) << sink << " remembered what it took";
    value.replace(tab + 1, end - tab - 1, seconds);
    std::string quoted;
    for (char c : value) quoted += c == '\'' ? std::string("''") : std::string(1, c);
    test::sql_text(db, "UPDATE dataset_state SET value = '" + quoted + "' WHERE key = 'sink." + sink + "'");
  }
  for (const Council* c : {&one, &two}) test::change_people(c->dir / "var/sample/cms/people.csv", 1);
  const auto a = one.run(), b = two.run();
  EXPECT_EQ(b.code, a.code) << b.output;
  EXPECT_NE(b.output.find("run 2 at a time (its walk's copies serve them), the longest by the last run first: alerts, "
                          "pool-extract, inspection-lists, kpis"),
            std::string::npos)
      << b.output;
  EXPECT_LT(b.output.find("\"name\":\"kpis\""), b.output.find("\"name\":\"alerts\"")) << "the summary in configured order";
  EXPECT_TRUE(two.outputs() == one.outputs());
}

// A sink that fails beside another fails alone: the others publish, the run says which failed.
TEST(SinksSideBySide, OneFailingLeavesTheOthersOutputs) {
  Council two("256", 2);
  std::string cfg = test::read_file(two.config);
  const auto at = cfg.find("\"out\": \"../var/out/kpis\"");
  ASSERT_NE(at, std::string::npos) << cfg;
  cfg.replace(at, std::string("\"out\": \"../var/out/kpis\"").size(), "\"out\": \"/proc/sendhub-cannot-write/kpis\"");
  test::write_file(two.config, cfg);
  const auto r = two.run();
  EXPECT_EQ(r.code, 3) << r.output;
  EXPECT_NE(r.output.find("kpis: failed, its earlier outputs are unchanged"), std::string::npos) << r.output;
  const auto out = two.outputs();
  for (const char* dir : {"inspection/", "pool/", "alerts/"}) {
    bool any = false;
    for (const auto& [path, bytes] : out) any = any || path.rfind(dir, 0) == 0;
    EXPECT_TRUE(any) << dir << " written beside the failing sink";
  }
}

}  // namespace
}  // namespace sendhub
