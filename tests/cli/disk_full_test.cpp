// Issue 15.7 and "keep them out": a disk that fills up at any moment of a run. The hub
// runs under RLIMIT_FSIZE (a write past the limit fails with EFBIG, as on a full disk,
// SIGXFSZ ignored) and the limit is swept so that writes fail during a source, during
// linking, during validation and during each sink. After every run: the store passes
// SQLite's integrity check, each source's records are all old or all new, the previous
// outputs are whole, the error is clear, and the run's summary line was written.
#include <gtest/gtest.h>

#include <filesystem>
#include <set>

#include "store/store.h"
#include "test_support.h"

namespace sendhub {
namespace {

namespace fs = std::filesystem;

std::string sql(const std::string& db, const std::string& query) {
  return test::run("sqlite3 " + db + " \"" + query + "\"").output;
}

TEST(DiskFull, AFullDiskAtAnyMomentLeavesTheStoreAndOutputsWholeAndSaysWhy) {
  test::TempDir dir;
  test::generate_sample(dir / "old", 60);
  auto r = test::run("python3 " SENDHUB_SOURCE_DIR "/scripts/gen_sample.py --out " + (dir / "new") +
                     " --children 90 --seed 7");
  ASSERT_EQ(r.code, 0) << r.output;
  const std::string config = R"({"store": {"path": "store/sendhub.db"}, "la": {"code": "351"},
    "plugins_dir": ")" SENDHUB_TEST_PLUGIN_DIR R"(", "schemas_dir": ")" SENDHUB_SOURCE_DIR R"(/schemas",
    "sources": [{"name": "sen2", "connector": "sen2_xml", "path": "in/sen2/*.xml"},
                {"name": "people", "connector": "cms_csv", "path": "in/cms/people*.csv",
                 "profile": ")" SENDHUB_SOURCE_DIR R"(/config/profiles/example-people.json"}],
    "link": {"conflicts": "out/conflicts.csv"},
    "sinks": [{"name": "ret", "connector": "sen2_xml", "year": 2026, "out": "out/sen2.xml", "force": true},
              {"name": "kpis", "connector": "kpi_extract", "year": 2025, "out": "out/kpis"}]})";
  // The baseline: a store and outputs from the old data.
  const std::string base = dir / "base";
  fs::create_directories(base);
  test::write_file(base + "/hub.json", config);
  fs::copy(dir / "old", base + "/in", fs::copy_options::recursive);
  r = test::sendhub("run --as-at 2026-01-15 --config " + base + "/hub.json");
  ASSERT_LE(r.code, 1) << r.output;
  const std::string old_return = test::read_file(base + "/out/sen2.xml");
  const std::string old_kpis = test::read_file(base + "/out/kpis/kpis.csv");
  const std::string old_people = sql(base + "/store/sendhub.db", "SELECT COUNT(*) FROM person WHERE source='people'");

  std::set<std::string> failed_in;
  for (long limit_kb = 8; limit_kb <= 6144; limit_kb = limit_kb * 3 / 2 + 8) {
    const std::string run_dir = dir / ("run" + std::to_string(limit_kb));
    fs::copy(base, run_dir, fs::copy_options::recursive);
    fs::remove_all(run_dir + "/in");
    fs::copy(dir / "new", run_dir + "/in", fs::copy_options::recursive);
    r = test::run("bash -c \"trap '' XFSZ; ulimit -f " + std::to_string(limit_kb) + "; exec " SENDHUB_BINARY
                  " run --as-at 2026-01-15 --config " + run_dir + "/hub.json\"");
    SCOPED_TRACE("limit " + std::to_string(limit_kb) + " KiB\n" + r.output);
    const std::string db = run_dir + "/store/sendhub.db";
    EXPECT_EQ(sql(db, "PRAGMA integrity_check"), "ok\n");
    EXPECT_NE(r.output.find("{\"run\":"), std::string::npos) << "the summary line is written";
    EXPECT_EQ(r.output.find("internal error"), std::string::npos);
    EXPECT_EQ(r.output.find("no transaction is active"), std::string::npos) << "the real error is not hidden";
    const std::string people = sql(db, "SELECT COUNT(*) FROM person WHERE source='people'");
    if (r.code == 3) {
      EXPECT_TRUE(r.output.find("File too large") != std::string::npos ||
                  r.output.find("disk is full") != std::string::npos ||
                  r.output.find("I/O error") != std::string::npos) << "the error says what happened";
      if (r.output.find("people: failed, nothing of it was stored") != std::string::npos) {
        failed_in.insert("source");
        EXPECT_EQ(people, old_people);
      }
      if (r.output.find("linking: failed") != std::string::npos) failed_in.insert("linking");
      if (r.output.find("validation: failed") != std::string::npos) failed_in.insert("validation");
      for (const char* sink : {"ret", "kpis"})
        if (r.output.find(std::string(sink) + ": failed, its earlier outputs are unchanged") != std::string::npos)
          failed_in.insert(std::string("sink ") + sink);
    } else {
      EXPECT_LE(r.code, 1);
    }
    // Every output is the old one or a whole new one, never a torn file.
    const std::string ret = test::read_file(run_dir + "/out/sen2.xml");
    EXPECT_TRUE(ret == old_return || ret.ends_with("</Message>\n")) << "the SEN2 return is whole";
    const std::string kpis = test::read_file(run_dir + "/out/kpis/kpis.csv");
    EXPECT_TRUE(kpis == old_kpis || (kpis.ends_with("\r\n") && kpis.size() > 100)) << "kpis.csv is whole";
    fs::remove_all(run_dir);
  }
  // The store fills before the outputs do in a run (its write-ahead log is the largest file),
  // so each sink is also swept on its own, through `sendhub kpis` and `sendhub export`, which
  // write nothing to the store. The store is held open here so its 32 KiB shared-memory file
  // already exists for the reader.
  auto held = open_sqlite_store(base + "/store/sendhub.db", SENDHUB_SOURCE_DIR "/schemas");
  held->link_state();
  for (long limit_kb = 1; limit_kb <= 256; limit_kb *= 2) {
    r = test::run("bash -c \"trap '' XFSZ; ulimit -f " + std::to_string(limit_kb) + "; exec " SENDHUB_BINARY
                  " kpis --year 2025 --as-at 2026-01-15 --out " + base + "/out/kpis --config " + base + "/hub.json\"");
    SCOPED_TRACE("kpis, limit " + std::to_string(limit_kb) + " KiB\n" + r.output);
    if (r.code == 3 && r.output.find("kpis: failed, its earlier outputs are unchanged") != std::string::npos)
      failed_in.insert("sink kpis");
    const std::string kpis = test::read_file(base + "/out/kpis/kpis.csv");
    EXPECT_TRUE(kpis == old_kpis || (kpis.ends_with("\r\n") && kpis.size() > 100));
    std::set<std::string> names;
    for (const auto& e : fs::directory_iterator(base + "/out/kpis")) names.insert(e.path().filename().string());
    for (const auto& n : names) EXPECT_EQ(n.find(".tmp-"), std::string::npos) << "no temporary file is left: " << n;
    r = test::run("bash -c \"trap '' XFSZ; ulimit -f " + std::to_string(limit_kb) + "; exec " SENDHUB_BINARY
                  " export sen2 --year 2026 --force --out " + base + "/out/sen2.xml --config " + base + "/hub.json\"");
    SCOPED_TRACE("export, limit " + std::to_string(limit_kb) + " KiB\n" + r.output);
    if (r.code == 3 && r.output.find(": failed, its earlier outputs are unchanged") != std::string::npos)
      failed_in.insert("sink ret");
    const std::string ret = test::read_file(base + "/out/sen2.xml");
    EXPECT_TRUE(ret == old_return || ret.ends_with("</Message>\n")) << "the SEN2 return is whole";
  }
  for (const char* stage : {"source", "linking", "sink ret", "sink kpis"})
    EXPECT_TRUE(failed_in.count(stage)) << "the sweep never made the disk fill during " << stage;
}

}  // namespace
}  // namespace sendhub
