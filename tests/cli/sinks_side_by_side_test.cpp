// Issue 30: once the first sink's walk has kept the dataset's copies, the sinks after it run
// side by side (pipeline/sink_stage.h). Whatever they run beside, they write what they write one
// after another: with the copies in memory or spilled to a file, on a first run and round after
// round of changes (the sinks that keep parts derive the changed people while another sink reads
// the copies and calls the store).
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <sstream>
#include <string>
#include <vector>

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

// A sink's remembered outcome as the store keeps it, and its third line: status, why, note,
// seconds, the kept parts' seconds and the share of people derived, tab-separated.
struct Remembered {
  Remembered(const std::string& db_path, const std::string& sink_name) : db(db_path), sink(sink_name) {
    value = test::sql_text(db, "SELECT value FROM dataset_state WHERE key = 'sink." + sink + "'");
    third = value.find('\n', value.find('\n') + 1) + 1;
    end = value.find('\n', third);
    if (third == 0 || end == std::string::npos) return;
    std::stringstream line(value.substr(third, end - third));
    for (std::string f; std::getline(line, f, '\t');) fields.push_back(f);
  }
  // The third line's fields as they are now in `fields`, written back.
  void save() {
    std::string line;
    for (const auto& f : fields) line += (line.empty() ? "" : "\t") + f;
    value.replace(third, end - third, line);
    std::string quoted;
    for (char c : value) quoted += c == '\'' ? std::string("''") : std::string(1, c);
    test::sql_text(db, "UPDATE dataset_state SET value = '" + quoted + "' WHERE key = 'sink." + sink + "'");
  }
  std::string db, sink, value;
  std::size_t third = 0, end = 0;
  std::vector<std::string> fields;
};

std::vector<std::string> outcome_fields(const std::string& db, const std::string& sink) {
  return Remembered(db, sink).fields;
}

// Puts `took` (seconds, parts' seconds, derived share) in place of the remembered ones.
void pretend_took(const std::string& db, const std::string& sink, const std::vector<std::string>& took) {
  Remembered r(db, sink);
  ASSERT_EQ(r.fields.size(), 6u) << sink << ": " << r.value;
  std::copy(took.begin(), took.end(), r.fields.begin() + 3);
  r.save();
}

// The sinks side by side start longest first by what each took in the last run that ran it (kept
// with its outcome), the time its kept parts took scaled to this run's change; outputs and the
// run summary's order do not change with it.
TEST(SinksSideBySide, TheLongestByTheLastRunStartFirst) {
  Council one("256", 1), two("256", 2);
  ASSERT_LE(one.run().code, 3);
  const auto first = two.run();
  ASSERT_LE(first.code, 3) << first.output;
  EXPECT_EQ(first.output.find("the longest by the last run first"), std::string::npos) << "nothing known yet: " << first.output;
  const std::string db = two.dir / "var/sendhub.db";
  // A first run derives every part: the sinks that keep parts say what they took and that they
  // derived everyone; the others keep none.
  for (const char* sink : {"pool-extract", "inspection-lists", "kpis", "alerts"}) {
    const auto fields = outcome_fields(db, sink);
    ASSERT_EQ(fields.size(), 6u) << sink;
    EXPECT_GT(std::stod(fields[3]), 0.0) << sink << " remembered what it took";
    const bool keeps = std::string(sink) == "pool-extract" || std::string(sink) == "inspection-lists";
    EXPECT_EQ(std::stod(fields[4]) > 0, keeps) << sink << ": its parts' seconds " << fields[4];
    EXPECT_EQ(std::stod(fields[5]), 1.0) << sink;
  }
  // Pretend the extract took longest, nearly all of it deriving its parts, and the alerts next:
  // on a change of one person in nine the extract derives about a ninth, so the alerts go first.
  pretend_took(db, "kpis", {"1.5", "0", "1"});
  pretend_took(db, "inspection-lists", {"2.5", "0", "1"});
  pretend_took(db, "pool-extract", {"50", "49.9", "1"});
  pretend_took(db, "alerts", {"20", "0", "1"});
  for (const Council* c : {&one, &two}) test::change_people(c->dir / "var/sample/cms/people.csv", 1);
  const auto a = one.run(), b = two.run();
  EXPECT_EQ(b.code, a.code) << b.output;
  EXPECT_NE(b.output.find("run 2 at a time (its walk's copies serve them), the longest by the last run first: alerts, "
                          "pool-extract, inspection-lists, kpis"),
            std::string::npos)
      << b.output;
  EXPECT_LT(b.output.find("\"name\":\"kpis\""), b.output.find("\"name\":\"alerts\"")) << "the summary in configured order";
  EXPECT_TRUE(two.outputs() == one.outputs());
  // That night's own record: the extract derived only the changed people.
  const auto night = outcome_fields(db, "pool-extract");
  ASSERT_EQ(night.size(), 6u);
  EXPECT_GT(std::stod(night[5]), 0.0);
  EXPECT_LT(std::stod(night[5]), 0.5) << "derived share of a night's change";
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
