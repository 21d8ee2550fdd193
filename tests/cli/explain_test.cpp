#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>

#include "test_support.h"

namespace sendhub {
namespace {

using test::TempDir;

// The demo council, run twice: links, conflicts.csv and explain.
class LinkedDemo : public ::testing::Test {
 protected:
  void SetUp() override {
    test::demo_config(dir_, 150);
    first_ = test::sendhub("run --config " + (dir_ / "config/demo.json"));
  }
  TempDir dir_;
  test::Result first_;
};

TEST_F(LinkedDemo, ConflictsAreWrittenPrivatelyWithoutValuesAndRelinkingChangesNothing) {
  ASSERT_EQ(first_.code, 0) << first_.output;
  EXPECT_NE(first_.output.find("sendhub: linking: "), std::string::npos) << first_.output;
  const std::string csv = test::read_file(dir_ / "var/out/conflicts.csv");
  EXPECT_EQ(csv.rfind("person_key,field,sources,winner\r\n", 0), 0u);
  EXPECT_GT(std::count(csv.begin(), csv.end(), '\n'), 1) << "the sample council's systems disagree now and then";
  EXPECT_EQ(csv.find(" "), std::string::npos) << "no values (postcodes, names) in the extract: " << csv;
  struct stat st {};
  ASSERT_EQ(::stat((dir_ / "var/out/conflicts.csv").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600);
  auto again = test::sendhub("run --config " + (dir_ / "config/demo.json"));
  EXPECT_NE(again.output.find("linking: nothing changed since the last linking"), std::string::npos) << again.output;
  std::filesystem::remove(dir_ / "var/out/conflicts.csv");   // linking runs again, and changes nothing
  auto relinked = test::sendhub("run --config " + (dir_ / "config/demo.json"));
  EXPECT_NE(relinked.output.find("; 0 link rows changed"), std::string::npos) << relinked.output;
  EXPECT_EQ(test::read_file(dir_ / "var/out/conflicts.csv"), csv);
}

TEST_F(LinkedDemo, ExplainShowsRecordsAndOriginsWithValuesMasked) {
  ASSERT_EQ(first_.code, 0);
  const std::string csv = test::read_file(dir_ / "var/out/conflicts.csv");
  const std::string key = csv.substr(csv.find('\n') + 1, 16);
  auto r = test::sendhub("explain " + key + " --config " + (dir_ / "config/demo.json"));
  ASSERT_EQ(r.code, 0) << r.output;
  EXPECT_NE(r.output.find("person " + key), std::string::npos);
  EXPECT_NE(r.output.find("sen2-returns"), std::string::npos);
  EXPECT_NE(r.output.find("cms-people"), std::string::npos);
  EXPECT_NE(r.output.find("surname     ***"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("people.csv:"), std::string::npos) << "each record with the file and line it came from";
  EXPECT_NE(r.output.find("(run 1)"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("[sources disagree: "), std::string::npos) << r.output;
  auto shown = test::sendhub("explain " + key + " --show-personal --config " + (dir_ / "config/demo.json"));
  EXPECT_EQ(shown.code, 2) << "not at a terminal: " << shown.output;
  EXPECT_EQ(test::sendhub("explain 0000000000000000 --config " + (dir_ / "config/demo.json")).code, 1);
}

TEST_F(LinkedDemo, ARunWithoutTheSaltIsRefusedBeforeAnything) {
  auto r = test::run("env -u SENDHUB_SALT " + std::string(SENDHUB_BINARY) + " run --config " + (dir_ / "config/demo.json"));
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.output.find("SENDHUB_SALT is not set"), std::string::npos) << r.output;
}

}  // namespace
}  // namespace sendhub
