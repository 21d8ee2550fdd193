#include <gtest/gtest.h>
#include <sys/stat.h>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <filesystem>

#include "plugins/sen2_fixtures.h"
#include "sendhub/plugin.h"
#include "test_support.h"

namespace sendhub {
namespace {

using test::TempDir;

Poco::JSON::Array::Ptr json_array(const std::string& text) {
  return Poco::JSON::Parser().parse(text).extract<Poco::JSON::Array::Ptr>();
}

TEST(Cli, ConnectorsJsonListsTheSen2SourceAndSinkWithTheirKeys) {
  auto r = test::run(std::string(SENDHUB_BINARY) + " connectors --json --plugins-dir " SENDHUB_TEST_PLUGIN_DIR " 2>/dev/null");
  ASSERT_EQ(r.code, 0) << r.output;
  auto list = json_array(r.output);
  std::set<std::string> kinds;
  for (std::size_t i = 0; i < list->size(); ++i) {
    auto c = list->getObject(static_cast<unsigned>(i));
    if (c->getValue<std::string>("name") != "sen2_xml") continue;
    kinds.insert(c->getValue<std::string>("kind"));
    EXPECT_EQ(c->getValue<int>("api_version"), SENDHUB_API_VERSION);
    EXPECT_GT(c->getArray("keys")->size(), 0u);
  }
  EXPECT_EQ(kinds, (std::set<std::string>{"source", "sink"}));
}

TEST(Cli, ConnectorsNamesEachRefusedLibrary) {
  TempDir dir;
  ::chmod(dir.path().c_str(), 0700);
  std::filesystem::copy_file(SENDHUB_TEST_FIXTURE_DIR "/libwrong_api_plugin.so", dir / "libwrong.so");
  std::filesystem::copy_file(SENDHUB_TEST_FIXTURE_DIR "/libnot_a_plugin.so", dir / "libother.so");
  auto r = test::sendhub("connectors --plugins-dir " + dir.path());
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.output.find("sendhub: plugin refused: " + (dir / "libwrong.so") + ": was built for plugin API version " + std::to_string(SENDHUB_API_VERSION + 41)),
            std::string::npos) << r.output;
  EXPECT_NE(r.output.find("sendhub: plugin refused: " + (dir / "libother.so") + ": is not a sendhub plugin"),
            std::string::npos) << r.output;
}

TEST(Cli, ConfigurationMistakesExit2NamingTheKey) {
  TempDir dir;
  auto cfg = test::write_config(dir, R"([{"name": "s", "connector": "sen2_xml", "path": "x", "yaer": 2026}])");
  auto r = test::sendhub("run --config " + cfg);
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.output.find("sources[0].yaer: unknown key for connector sen2_xml"), std::string::npos) << r.output;
  EXPECT_FALSE(std::filesystem::exists(dir / "store/sendhub.db")) << "nothing was done";

  cfg = test::write_config(dir, R"([{"name": "s", "connector": "csv_magic", "path": "x"}])");
  r = test::sendhub("run --config " + cfg);
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.output.find("no connector named csv_magic"), std::string::npos) << r.output;
}

TEST(Cli, UsageMistakesExit2) {
  EXPECT_EQ(test::sendhub("").code, 2);
  EXPECT_EQ(test::sendhub("frobnicate").code, 2);
  EXPECT_EQ(test::sendhub("runs --bogus").code, 2);
  EXPECT_EQ(test::sendhub("runs --year 2026 --db x.db").code, 2);
  EXPECT_EQ(test::sendhub("run --config /nonexistent/hub.json").code, 2);
  EXPECT_EQ(test::sendhub("export sen2 --year 26 --db x.db").code, 2);
  EXPECT_EQ(test::sendhub("--help").code, 0);
  EXPECT_EQ(test::sendhub("run --help").code, 0);
}

TEST(Cli, RunsJsonHasTheContractShapeNewestFirst) {
  TempDir dir;
  test::write_file(dir / "in/r.xml", test::sen2_return({test::sen2_person("A"), test::sen2_person("B", "2014-13-01")}));
  auto cfg = test::write_config(dir, R"([{"name": "s", "connector": "sen2_xml", "path": "in/r.xml"}])");
  EXPECT_EQ(test::sendhub("run --config " + cfg).code, 1);
  EXPECT_EQ(test::sendhub("run --config " + cfg).code, 1);
  auto r = test::run(std::string(SENDHUB_BINARY) + " runs --json --config " + cfg + " 2>/dev/null");
  ASSERT_EQ(r.code, 0) << r.output;
  auto runs = json_array(r.output);
  ASSERT_EQ(runs->size(), 2u);
  auto newest = runs->getObject(0);
  EXPECT_EQ(newest->getValue<int>("run"), 2);
  EXPECT_EQ(newest->getValue<std::string>("status"), "data_problems");
  EXPECT_FALSE(newest->getValue<std::string>("started").empty());
  EXPECT_FALSE(newest->getValue<std::string>("finished").empty());
  auto s = newest->getArray("sources")->getObject(0);
  EXPECT_EQ(s->getValue<std::string>("name"), "s");
  EXPECT_EQ(s->getValue<int>("read"),
            s->getValue<int>("stored") + s->getValue<int>("unchanged") + s->getValue<int>("quarantined"));
  // Counts are records: the bad Person is quarantined with its request and assessment.
  EXPECT_EQ(s->getValue<int>("quarantined"), 3);
  EXPECT_EQ(s->getValue<int>("unchanged"), s->getValue<int>("read") - 3);
}

// Issue 12.6: check said all was well, then run failed (salt unset, a header row two lines
// down, a renamed column). It lists every such problem and exits 2.
TEST(Cli, CheckListsEverythingRunWouldFailOn) {
  TempDir dir;
  test::write_file(dir / "people.json", R"({"record": "person", "columns": {"person_ref": "Person ID", "surname": "Surname"}})");
  test::write_file(dir / "in/a.csv", "Export\nRun\nPerson ID,Surname\nP1,A\n");
  test::write_file(dir / "in/b.csv", "Person ID,Family Name\nP1,A\n");
  auto cfg = test::write_config(dir, R"([{"name": "p", "connector": "cms_csv", "path": "in/*.csv", "profile": "people.json"}])");
  auto r = test::run("env -u SENDHUB_SALT " SENDHUB_BINARY " check --config " + cfg);
  EXPECT_EQ(r.code, 2) << r.output;
  EXPECT_NE(r.output.find("PROBLEM  salt SENDHUB_SALT: environment variable SENDHUB_SALT is not set"), std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("a.csv:1: Person ID: column named in profile"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("set header_row to 3"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("b.csv:1: Surname: column named in profile"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("row 1 holds: Person ID, Family Name"), std::string::npos) << r.output;
  EXPECT_FALSE(std::filesystem::exists(dir / "store/sendhub.db")) << "nothing was loaded";
}

// Issue 25.4: check said "ok" for a KPI folder under /proc, and run then failed on it; and
// it stopped at the first configuration error. It tries what run will do (makes the folders
// and a file, then removes them), and lists every problem of every source and sink.
TEST(Cli, CheckTriesEachOutputAndListsEveryConfigurationProblem) {
  TempDir dir;
  test::write_file(dir / "in/r.xml", test::sen2_return({test::sen2_person("A")}));
  auto cfg = test::write_config(dir, R"([{"name": "s", "connector": "sen2_xml", "path": "in/*.xml", "yaer": 2026},
                                         {"name": "t", "connector": "no_such_connector"}])",
                                R"([{"name": "kpis", "connector": "kpi_extract", "out": "/proc/forbidden"},
                                    {"name": "ok-kpis", "connector": "kpi_extract", "out": "deep/new/kpis"},
                                    {"name": "ret", "connector": "sen2_xml", "out": "x.xml"}])");
  auto r = test::sendhub("check --config " + cfg);
  EXPECT_EQ(r.code, 2) << r.output;
  EXPECT_NE(r.output.find("sources[0].yaer: unknown key for connector sen2_xml"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("sources[1].connector: no connector named no_such_connector"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("sinks[2].year: required key is missing"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("PROBLEM  sink kpis: out: cannot create folder /proc/forbidden"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("ok       sink ok-kpis"), std::string::npos) << r.output;
  EXPECT_FALSE(std::filesystem::exists(dir / "deep")) << "check removes the folders it made";
  EXPECT_FALSE(std::filesystem::exists(dir / "store")) << "nor leaves the store's folder";
}

TEST(Cli, CheckReportsUnreachableInputsWithoutLoading) {
  TempDir dir;
  auto cfg = test::write_config(dir, R"([{"name": "s", "connector": "sen2_xml", "path": "in/*.xml"}])");
  auto r = test::sendhub("check --config " + cfg);
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.output.find("PROBLEM  source s: path: no file matches"), std::string::npos) << r.output;
  test::write_file(dir / "in/r.xml", test::sen2_return({test::sen2_person("A")}));
  r = test::sendhub("check --config " + cfg);
  EXPECT_EQ(r.code, 0) << r.output;
  EXPECT_FALSE(std::filesystem::exists(dir / "store/sendhub.db"));
}

}  // namespace
}  // namespace sendhub

namespace sendhub {
namespace {

// 15.11: a FIFO matching an input glob hung check, validate and run.
TEST(Cli, AFifoMatchingAnInputGlobIsRefusedNotWaitedOn) {
  test::TempDir dir;
  std::filesystem::create_directories(dir / "in");
  ASSERT_EQ(::mkfifo((dir / "in/a.xml").c_str(), 0600), 0);
  auto cfg = test::write_config(dir, R"([{"name": "sen2", "connector": "sen2_xml", "path": "in/*.xml"}])");
  auto check = test::run("timeout 20 " SENDHUB_BINARY " check --config " + cfg);
  EXPECT_EQ(check.code, 2) << check.output;
  EXPECT_NE(check.output.find("not a regular file"), std::string::npos) << check.output;
  auto run = test::run("timeout 20 " SENDHUB_BINARY " run --config " + cfg);
  EXPECT_EQ(run.code, 3) << run.output;
  EXPECT_NE(run.output.find("input.not_regular"), std::string::npos) << run.output;
  auto validate = test::run("timeout 20 " SENDHUB_BINARY " validate " + (dir / "in/a.xml") + " /dev/zero");
  EXPECT_EQ(validate.code, 1) << validate.output;
  EXPECT_NE(validate.output.find("/dev/zero: not a regular file"), std::string::npos) << validate.output;
}

// 15.15: a string where a code map belongs gave exit 70; a bad profile in validate gave 1;
// an empty date_formats was accepted.
TEST(Cli, ProfileMistakesAreUsageErrorsNamingTheKey) {
  test::TempDir dir;
  test::write_file(dir / "p.csv", "Person ID,Gender\nP1,Male\n");
  const std::string base = R"({"profile": "p", "record": "person", "columns": {"person_ref": "Person ID", "sex": "Gender"})";
  for (const auto& [extra, key] : std::vector<std::pair<std::string, std::string>>{
           {R"(, "codes": {"sex": "M"}})", "codes.sex"},
           {R"(, "date_formats": []})", "date_formats"},
           {R"(, "header_row": "two"})", "header_row"}}) {
    test::write_file(dir / "profile.json", base + extra);
    auto r = test::sendhub("validate --profile " + (dir / "profile.json") + " " + (dir / "p.csv"));
    EXPECT_EQ(r.code, 2) << extra << "\n" << r.output;
    EXPECT_NE(r.output.find(key), std::string::npos) << r.output;
  }
}

}  // namespace
}  // namespace sendhub

namespace sendhub {
namespace {

// Issue 12.2: the canonical field names, from the tables the code uses.
TEST(Cli, FieldsListsEveryKindWithTypesKeysAndCodeLists) {
  auto r = test::sendhub("fields --kind plan");
  EXPECT_EQ(r.code, 0) << r.output;
  EXPECT_NE(r.output.find("  transfer_la  code  codes: 201"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("  request_ref  text  key"), std::string::npos) << r.output;
  auto json = test::sendhub("fields --json");
  EXPECT_EQ(json.code, 0);
  EXPECT_NE(json.output.find(R"({"kind":"review","field":"seq","type":"integer","key":true,"code_lists":[]})"),
            std::string::npos) << json.output.substr(0, 400);
  EXPECT_EQ(test::sendhub("fields --kind plans").code, 2);
}

TEST(Cli, AnUnknownProfileFieldListsTheValidOnes) {
  test::TempDir dir;
  test::write_file(dir / "p.csv", "Ref,Worker\nR1,Sam\n");
  test::write_file(dir / "profile.json", R"({"record": "review", "columns": {"request_ref": "Ref", "worker": "Worker"}})");
  auto r = test::sendhub("validate --profile " + (dir / "profile.json") + " " + (dir / "p.csv"));
  EXPECT_EQ(r.code, 2) << r.output;
  EXPECT_NE(r.output.find("its fields are request_ref, review_meeting, last_review, review_outcome, review_draft"),
            std::string::npos) << r.output;
  EXPECT_NE(r.output.find("sendhub fields --kind review"), std::string::npos) << r.output;
}

}  // namespace
}  // namespace sendhub

namespace sendhub {
namespace {

// Issue 12.8: run --help left out --db and --verbose, export --help left out --force.
TEST(Cli, EachCommandsHelpListsEveryOptionItTakesWithItsDefault) {
  auto run = test::sendhub("run --help");
  EXPECT_EQ(run.code, 0);
  for (const char* option : {"--db FILE", "--verbose", "--config FILE", "--as-at DATE"})
    EXPECT_NE(run.output.find("  " + std::string(option)), std::string::npos) << option << "\n" << run.output;
  EXPECT_NE(run.output.find("(default: today)"), std::string::npos) << run.output;
  auto exp = test::sendhub("export --help");
  EXPECT_NE(exp.output.find("  --force"), std::string::npos) << exp.output;
  EXPECT_EQ(exp.output.find("--profile"), std::string::npos) << "only the options the command takes";
  EXPECT_EQ(test::sendhub("--version").output, "sendhub " SENDHUB_VERSION_TEXT "\n");
}

}  // namespace
}  // namespace sendhub

namespace sendhub {
namespace {

// Issue 12.3: a draft profile from an export's header and a sample, that validates.
TEST(Cli, ProfileSuggestDraftsAProfileThatReadsTheExportAndShowsOnlyCodeValues) {
  test::TempDir dir;
  test::write_file(dir / "x.csv", "Mosaic SEND export\nRun on 15/01/2026\n"
                                  "Client ID;Last Name;First Name;DOB;Gender;Team\n"
                                  "C1;Ashby;Kit;02/03/2014;Male;North\nC2;Brook;Bea;09/07/2015 00:00;female;South\n");
  auto r = test::sendhub("profile suggest " + (dir / "x.csv") + " --out " + (dir / "draft.json"));
  ASSERT_EQ(r.code, 0) << r.output;
  const std::string draft = test::read_file(dir / "draft.json");
  EXPECT_NE(draft.find("\"record\": \"person\""), std::string::npos) << draft;
  EXPECT_NE(draft.find("\"header_row\": 3"), std::string::npos) << draft;
  EXPECT_NE(draft.find("\"delimiter\": \";\""), std::string::npos) << draft;
  EXPECT_NE(draft.find("\"birth_date\": \"DOB\""), std::string::npos) << draft;
  EXPECT_NE(draft.find("\"%d/%m/%Y\""), std::string::npos) << draft;
  EXPECT_NE(draft.find("\"Male\": \"M\""), std::string::npos) << draft;
  EXPECT_NE(draft.find("columns not matched: Team"), std::string::npos) << draft;
  EXPECT_EQ(draft.find("Ashby"), std::string::npos) << "never names";
  EXPECT_EQ(draft.find("02/03/2014"), std::string::npos) << "never dates";
  auto v = test::sendhub("validate --profile " + (dir / "draft.json") + " " + (dir / "x.csv"));
  EXPECT_EQ(v.code, 0) << v.output;
  EXPECT_EQ(test::sendhub("profile suggest " + (dir / "x.csv") + " --record plans").code, 3);
}

}  // namespace
}  // namespace sendhub

namespace sendhub {
namespace {

// Issue 12.3: finding the unmapped values took SQL on the quarantine table.
TEST(Cli, ValidateWithAProfileListsUnmappedCodeValuesWithTheirCounts) {
  test::TempDir dir;
  test::write_file(dir / "p.json", R"({"record": "person", "columns": {"person_ref": "ID", "sex": "Gender"},
                                      "codes": {"sex": {"Male": "M", "Female": "F"}}})");
  test::write_file(dir / "p.csv", "ID,Gender\nP1,Male\nP2,Unknown\nP3,Not stated\nP4,Unknown\n");
  auto r = test::sendhub("validate --profile " + (dir / "p.json") + " " + (dir / "p.csv"));
  EXPECT_EQ(r.code, 1) << r.output;
  EXPECT_NE(r.output.find("values the profile's codes do not map"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("  sex: \"Unknown\" in 2 row(s)"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("  sex: \"Not stated\" in 1 row(s)"), std::string::npos) << r.output;
  auto json = test::sendhub("validate --format json --profile " + (dir / "p.json") + " " + (dir / "p.csv"));
  EXPECT_NE(json.output.find(R"({"field":"sex","value":"Unknown","rows":2})"), std::string::npos) << json.output;
}

}  // namespace
}  // namespace sendhub

namespace sendhub {
namespace {

// Issue 12.7: on a terminal progress covers every stage, and the final line was appended to
// leftover progress text. Run under a pseudo-terminal (script(1)).
TEST(Cli, OnATerminalEveryStageShowsProgressAndLogLinesStartOnAClearLine) {
  if (test::run("command -v script").code != 0) GTEST_SKIP() << "script(1) is missing";
  TempDir dir;
  test::write_file(dir / "in/r.xml", test::sen2_return({test::sen2_person("A")}));
  auto cfg = test::write_config(dir, R"([{"name": "s", "connector": "sen2_xml", "path": "in/r.xml"}])");
  auto r = test::run("script -qec '" SENDHUB_BINARY " run --config " + cfg + "' /dev/null");
  EXPECT_LE(r.code, 1) << r.output;
  EXPECT_NE(r.output.find("sendhub: linking ..."), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("sendhub: validating ..."), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("\r\033[Ksendhub: linking: "), std::string::npos) << "a log line clears the line first";
  auto piped = test::sendhub("run --config " + cfg);
  EXPECT_EQ(piped.output.find('\033'), std::string::npos) << "no terminal codes into a pipe or a cron log";
}

}  // namespace
}  // namespace sendhub
