// Issue 27.4: a council's past returns as COLLECT's Blade CSV export (blade.md). The generator's
// returns are written as Blade exports of each version (1.1 for 2023, 1.2 for 2024, 1.3 after);
// loaded and written back as that year's XML, each is the return it came from.
#include <gtest/gtest.h>

#include <filesystem>

#include "store/store.h"
#include "test_support.h"

namespace sendhub {
namespace {

using test::TempDir;

std::string from_dmo(const std::string& xml) { return xml.substr(xml.find("<DMO>")); }

class Blade : public ::testing::TestWithParam<int> {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir;
    test::generate_sample(*dir_ / "s", 90, false, "2023,2024,2025,2026");
  }
  static void TearDownTestSuite() { delete dir_; }
  static std::string truth(int year) { return *dir_ / ("s/sen2/sen2_" + std::to_string(year) + ".xml"); }
  static void export_blade(int year, const std::string& out) {
    auto r = test::run("python3 " SENDHUB_SOURCE_DIR "/scripts/gen_blade.py --xml " + truth(year) + " --out " + out);
    ASSERT_EQ(r.code, 0) << r.output;
  }
  static std::string config(const TempDir& d, int year) {
    return test::write_config(d, R"([{"name": "past", "connector": "sen2_blade", "path": "blade/*.csv"}])",
                              R"([{"name": "r", "connector": "sen2_xml", "year": )" + std::to_string(year) + R"(, "out": "out.xml"}])");
  }
  static TempDir* dir_;
};
TempDir* Blade::dir_ = nullptr;

TEST_P(Blade, AnExportLoadsAsTheReturnItCameFromAndIsReadOnlyWhenAFileChanged) {
  const int year = GetParam();
  TempDir d;
  export_blade(year, d / "blade");
  const std::string cfg = config(d, year);
  auto r = test::sendhub("run --config " + cfg);
  ASSERT_LE(r.code, 1) << r.output;
  EXPECT_EQ(from_dmo(test::read_file(d / "out.xml")), from_dmo(test::read_file(truth(year))))
      << "the return written from the Blade export is the one it came from";
  // Again: nothing read. Then one module changed: the export is read again, whole.
  ASSERT_LE(test::sendhub("run --config " + cfg).code, 1);
  auto store = open_sqlite_store(d / "store/sendhub.db", SENDHUB_SOURCE_DIR "/schemas");
  EXPECT_EQ(store->runs()[0].sources[0].counts.files_skipped, 9);
  EXPECT_EQ(store->runs()[0].sources[0].counts.read, 0);
  store.reset();
  std::string senneed;
  for (const auto& e : std::filesystem::directory_iterator(d / "blade"))
    if (e.path().string().ends_with("_senneed.csv")) senneed = e.path().string();
  const std::string text = test::read_file(senneed);
  const auto last = text.rfind("\r\n", text.size() - 3);
  test::write_file(senneed, text.substr(0, last + 2));   // the last need row removed
  // (The return may now be withheld, exit 3, when that was a plan's only need: validation's say.)
  auto third = test::sendhub("run --config " + cfg);
  ASSERT_NE(third.code, 2) << third.output;
  store = open_sqlite_store(d / "store/sendhub.db", SENDHUB_SOURCE_DIR "/schemas");
  const auto c = store->runs()[0].sources[0].counts;
  EXPECT_GT(c.read, 0) << "a changed module makes the whole export read again";
  EXPECT_EQ(c.removed, 1) << "the need no longer in the export is removed";
  EXPECT_EQ(c.read, c.stored + c.unchanged + c.quarantined + c.replaced);
}

INSTANTIATE_TEST_SUITE_P(EveryVersion, Blade, ::testing::Values(2023, 2024, 2025, 2026));

TEST_F(Blade, AColumnTheLayoutDoesNotKnowRefusesTheExportAndNamesIt) {
  TempDir d;
  export_blade(2025, d / "blade");
  std::string requests;
  for (const auto& e : std::filesystem::directory_iterator(d / "blade"))
    if (e.path().string().ends_with("_requests.csv")) requests = e.path().string();
  std::string text = test::read_file(requests);
  text.replace(text.find("requestsource"), 13, "requestsauce");
  test::write_file(requests, text);
  test::write_file(d / "blade/notes.csv", "a,b\n1,2\n");
  auto r = test::sendhub("run --config " + config(d, 2025));
  EXPECT_EQ(r.code, 3) << r.output;   // no return to write: nothing was loaded
  EXPECT_NE(r.output.find("_requests.csv:1: requestsauce: a column the 2025 layout does not know"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("notes.csv: path: not a Blade export file"), std::string::npos) << r.output;
  auto store = open_sqlite_store(d / "store/sendhub.db", SENDHUB_SOURCE_DIR "/schemas");
  EXPECT_TRUE(store->read(RecordKind::person, 0).empty()) << "nothing half-loaded";
}

}  // namespace
}  // namespace sendhub
