// The cms_csv connector: real-world CSV, encodings, quarantine, idempotent reloads.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>

#include "config/hub_config.h"
#include "pipeline/run.h"
#include "store/store.h"
#include "test_support.h"

namespace sendhub {
namespace {

using test::TempDir;

const char* kPeopleProfile = R"({"profile": "people", "record": "person",
  "columns": {"person_ref": "Person ID", "surname": "Surname", "forename": "Forename",
              "birth_date": "Date of Birth", "sex": "Gender", "postcode": "Post Code", "upn": "UPN"},
  "codes": {"sex": {"Male": "M", "Female": "F"}}})";

const char* kRequestProfile = R"({"profile": "requests", "record": "request",
  "columns": {"request_ref": "Ref", "person_ref": "Person", "received_date": "Received",
              "request_outcome": "Decision", "request_mediation": "Mediation",
              "assessment_outcome": "Outcome", "week20": "Exception", "start_date": "Plan Start"},
  "codes": {"request_outcome": {"Agreed": "Y", "Refused": "N"}, "assessment_outcome": {"Issue Plan": "Y"}}})";

class CmsCsv : public ::testing::Test {
 protected:
  void SetUp() override {
    test::write_file(dir_ / "people.json", kPeopleProfile);
    test::write_file(dir_ / "requests.json", kRequestProfile);
  }
  std::string config(const std::string& profile, const std::string& glob = "in/*.csv") {
    return test::write_config(dir_, R"([{"name": "cms", "connector": "cms_csv", "path": ")" + glob +
                                        R"(", "profile": ")" + profile + R"("}])");
  }
  int run(const std::string& cfg) { return run_pipeline(load_config(cfg), RunOptions{"2026-01-15"}); }
  std::unique_ptr<Store> store() { return open_sqlite_store(dir_ / "store/sendhub.db", SENDHUB_SOURCE_DIR "/schemas"); }
  std::vector<Record> people() { return store()->read(RecordKind::person, 0); }
  SourceCounts last_counts() { return store()->runs()[0].sources[0].counts; }
  std::vector<std::string> quarantine() {
    sqlite3* h = nullptr;
    sqlite3_open((dir_ / "store/sendhub.db").c_str(), &h);
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(h, "SELECT rule || '|' || COALESCE(field, '') || '|' || line || '|' || COALESCE(path, '') "
                          "|| '|' || reason FROM quarantine ORDER BY id", -1, &st, nullptr);
    std::vector<std::string> out;
    while (sqlite3_step(st) == SQLITE_ROW) out.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)));
    sqlite3_finalize(st);
    sqlite3_close(h);
    return out;
  }
  TempDir dir_;
};

TEST_F(CmsCsv, ReadsRfc4180WithQuotesNewlinesBlankLinesAndLooseHeaders) {
  test::write_file(dir_ / "in/p.csv",
                   " person id ,SURNAME,Forename,Date of Birth,Gender,Post Code,UPN,Notes\r\n"
                   "P1,\"O'Neil, Jr\",Kit,02/03/2014,Male,bl9  0ab,d351200012345,\"said \"\"hello\"\"\r\nthen left\"\r\n"
                   "\r\n"
                   "P2,Brook,Bea,2015-07-09,Female,,,\n"
                   "P3,Oakes,Sol,01/01/2016,Male,M1 1AE,,,,\n");
  ASSERT_EQ(run(config("people.json")), 0);
  auto p = people();
  ASSERT_EQ(p.size(), 3u);
  EXPECT_EQ(p[0].get("surname"), "O'Neil, Jr");
  EXPECT_EQ(p[0].get("birth_date"), "2014-03-02");
  EXPECT_EQ(p[0].get("sex"), "M");
  EXPECT_EQ(p[0].get("postcode"), "BL9 0AB");
  EXPECT_EQ(p[0].get("upn"), "D351200012345");
  EXPECT_EQ(p[1].get("birth_date"), "2015-07-09");
  EXPECT_EQ(p[1].origin.line, 5) << "lines count the quoted newline and the blank line";
  EXPECT_EQ(p[2].get("postcode"), "M1 1AE");
}

TEST_F(CmsCsv, DetectsUtf8BomWindows1252AndUtf16) {
  const std::string header = "Person ID,Surname,Forename,Date of Birth,Gender,Post Code,UPN\r\n";
  test::write_file(dir_ / "in/a.csv", "\xEF\xBB\xBF" + header + "P1,Ren\xC3\xA9,Zo\xC3\xAB,02/03/2014,Male,,\r\n");
  test::write_file(dir_ / "in/b.csv", header + "P2,Ren\xE9,Zo\xEB,02/03/2014,Female,,\r\n");  // Windows-1252
  test::write_file(dir_ / "in/c.csv", test::utf16(header + "P3,Rene,Zoe,02/03/2014,Male,,\r\n", true));
  ASSERT_EQ(run(config("people.json")), 0);
  auto p = people();
  ASSERT_EQ(p.size(), 3u);
  EXPECT_EQ(p[0].get("surname"), "Ren\xC3\xA9");
  EXPECT_EQ(p[1].get("surname"), "Ren\xC3\xA9") << "Windows-1252 converted to UTF-8";
  EXPECT_EQ(p[1].get("forename"), "Zo\xC3\xAB");
  EXPECT_EQ(p[2].get("person_ref"), "P3");
}

TEST_F(CmsCsv, StrictUtf8ProfileRejectsAWindows1252File) {
  std::string profile = kPeopleProfile;
  profile.replace(profile.find("\"record\""), 0, "\"encoding\": \"utf-8\", ");
  test::write_file(dir_ / "strict.json", profile);
  test::write_file(dir_ / "in/b.csv", "Person ID,Surname,Forename,Date of Birth,Gender,Post Code,UPN\nP2,Ren\xE9,Z,02/03/2014,Male,,\n");
  // A file rejected whole fails its source (issue 12.7): not "1 quarantined".
  EXPECT_EQ(run(config("strict.json")), 3);
  EXPECT_TRUE(quarantine().empty());
  EXPECT_EQ(store()->runs()[0].sources[0].status, "failed");
  EXPECT_NE(store()->runs()[0].sources[0].error.find("[csv.encoding]"), std::string::npos);
}

TEST_F(CmsCsv, BadRowsAreQuarantinedWithFileLineColumnAndReasonAndGoodRowsLoad) {
  test::write_file(dir_ / "in/r.csv",
                   "Ref,Person,Received,Decision,Mediation,Outcome,Exception,Plan Start\n"
                   "R1,P1,03/02/2025,Agreed,0,Issue Plan,N,16/06/2025\n"
                   "R2,P1,31/02/2025,Agreed,0,,,\n"
                   "R3,P2,03/02/2025,Maybe,0,,,\n"
                   "R4,P3,03/02/2025,Refused,perhaps,,,\n"
                   "R5,P4,04/02/2025,Refused,Yes,,,\n");
  EXPECT_EQ(run(config("requests.json")), 1);
  auto q = quarantine();
  ASSERT_EQ(q.size(), 3u);
  EXPECT_EQ(q[0], "csv.date|Received|3|column 3|not a date in the profile's formats (%d/%m/%Y, %Y-%m-%d; a time after the date is ignored)");
  EXPECT_EQ(q[1], "csv.code|Decision|4|column 4|value is not in the profile's code map for request_outcome");
  EXPECT_EQ(q[2].rfind("csv.flag|Mediation|5|column 5|", 0), 0u) << q[2];
  auto s = store();
  auto requests = s->read(RecordKind::request, 0);
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[1].get("request_mediation"), "1");
  // A request row carries its assessment and plan when it has values for them.
  ASSERT_EQ(s->read(RecordKind::assessment, 0).size(), 1u);
  EXPECT_EQ(s->read(RecordKind::assessment, 0)[0].get("week20"), "0");
  EXPECT_EQ(s->read(RecordKind::plan, 0)[0].get("start_date"), "2025-06-16");
  auto c = last_counts();
  EXPECT_EQ(c.read, c.stored + c.unchanged + c.quarantined);
  EXPECT_EQ(c.quarantined, 3);
}

// Issue 12.7: a renamed column failed the file as "1 quarantined", the source "ok", exit 1.
TEST_F(CmsCsv, AMissingMappedColumnFailsTheSourceShowingTheHeadersFound) {
  test::write_file(dir_ / "in/a.csv", "Person ID,Surname,Forename,Date of Birth,Gender,Post Code,UPN\nP1,A,B,02/03/2014,Male,,\n");
  test::write_file(dir_ / "in/b.csv", "Person ID,Surname,Forename,DOB,Gender,Post Code,UPN\nP2,A,B,02/03/2014,Male,,\n");
  auto r = test::sendhub("run --config " + config("people.json"));
  EXPECT_EQ(r.code, 3) << r.output;
  EXPECT_NE(r.output.find("b.csv:1: Date of Birth: column named in profile people for birth_date is missing from "
                          "the file; row 1 holds: Person ID, Surname, Forename, DOB, Gender, Post Code, UPN"),
            std::string::npos) << r.output;
  EXPECT_NE(r.output.find("\"status\":\"failed\",\"error\":"), std::string::npos) << "the reason is in the summary";
  EXPECT_TRUE(people().empty()) << "one source, one transaction";
}

TEST_F(CmsCsv, AHeaderBelowTitleLinesSuggestsHeaderRow) {
  test::write_file(dir_ / "in/a.csv", "People export\nRun 2026-01-15\nPerson ID,Surname,Forename,Date of Birth,Gender,Post Code,UPN\n"
                                      "P1,A,B,02/03/2014,Male,,\n");
  auto r = test::sendhub("run --config " + config("people.json"));
  EXPECT_EQ(r.code, 3) << r.output;
  EXPECT_NE(r.output.find("every mapped column is on row 3: set header_row to 3"), std::string::npos) << r.output;
}

TEST_F(CmsCsv, ReloadsAreIdempotentCorrectionsReplaceAndVanishedFilesKeepTheirRows) {
  const std::string header = "Person ID,Surname,Forename,Date of Birth,Gender,Post Code,UPN\n";
  test::write_file(dir_ / "in/a.csv", header + "P1,A,X,02/03/2014,Male,,\nP2,B,X,02/03/2014,Male,,\nP3,C,X,02/03/2014,Male,,\n");
  test::write_file(dir_ / "in/b.csv", header + "P9,Z,X,02/03/2014,Male,,\n");
  auto cfg = config("people.json");
  ASSERT_EQ(run(cfg), 0);
  ASSERT_EQ(run(cfg), 0);
  auto c = last_counts();
  EXPECT_EQ(c.files_skipped, 2) << "unchanged files are not read again (issue 11)";
  EXPECT_EQ(c.read, 0);
  EXPECT_EQ(c.stored, 0);
  EXPECT_EQ(people().size(), 4u) << "and their records stand";
  // A corrected a.csv: P2 gone, P3 changed. b.csv rotated away.
  test::write_file(dir_ / "in/a.csv", header + "P1,A,X,02/03/2014,Male,,\nP3,C-D,X,02/03/2014,Male,,\n");
  std::filesystem::remove(dir_ / "in/b.csv");
  ASSERT_EQ(run(cfg), 0);
  c = last_counts();
  EXPECT_EQ(c.read, 2);
  EXPECT_EQ(c.unchanged, 1);
  EXPECT_EQ(c.stored, 1);
  EXPECT_EQ(c.removed, 1);
  std::vector<std::string> refs;
  for (const auto& p : people()) refs.push_back(p.get("person_ref") + "=" + p.get("surname"));
  std::sort(refs.begin(), refs.end());
  EXPECT_EQ(refs, (std::vector<std::string>{"P1=A", "P3=C-D", "P9=Z"}));
}

// Rotating exports left side by side in one folder: the latest (by name) gives a person, and an
// older one's copy is counted as replaced, whichever file is read again. Read one by one, the
// older file, read again every run for its quarantined row, put its older details back over the
// newer file's (skipped as unchanged): a rerun on unchanged inputs changed the data. (Since
// 0.12.7 unchanged files are not read again for a quarantined row: it is carried.)
TEST_F(CmsCsv, AnOlderExportReadAgainNeverPutsItsOlderDetailsBack) {
  const std::string header = "Person ID,Surname,Forename,Date of Birth,Gender,Post Code,UPN\n";
  test::write_file(dir_ / "in/people_2026-11.csv", header + "P1,Old,X,02/03/2014,Male,bl9 4hl,\nP2,B,X,31/02/2014,Male,,\n");
  test::write_file(dir_ / "in/people_2026-12.csv", header + "P1,New,X,02/03/2014,Male,bl9 9zz,\n");
  auto cfg = config("people.json");
  auto p1 = [&] {
    for (const auto& p : people())
      if (p.get("person_ref") == "P1") return p.get("surname") + "|" + p.get("postcode") + "|" + p.origin.file.substr(p.origin.file.size() - 21);
    return std::string("none");
  };
  for (int round = 0; round < 3; ++round) {
    ASSERT_EQ(run(cfg), 1) << "the bad row";
    EXPECT_EQ(p1(), "New|BL9 9ZZ|in/people_2026-12.csv") << "round " << round;
    const auto c = last_counts();
    // A rerun reads neither file (both unchanged): the bad row is carried (issue 30).
    EXPECT_EQ(c.replaced, round == 0 ? 1 : 0) << "the older export's P1";
    EXPECT_EQ(c.files_skipped, round == 0 ? 0 : 2);
    EXPECT_EQ(c.quarantined, 1);
    EXPECT_EQ(c.stored, round == 0 ? 1 : 0) << "nothing changes on a rerun";
  }
  EXPECT_EQ(quarantine().size(), 3u) << "the bad row, reported every run until fixed";
  // The older export corrected: still the newer one's details.
  test::write_file(dir_ / "in/people_2026-11.csv", header + "P1,Older,X,02/03/2014,Male,bl9 4hl,\n");
  ASSERT_EQ(run(cfg), 0);
  EXPECT_EQ(p1(), "New|BL9 9ZZ|in/people_2026-12.csv");
  // A row twice in one file is still a duplicate.
  test::write_file(dir_ / "in/people_2026-12.csv", header + "P1,New,X,02/03/2014,Male,bl9 9zz,\nP1,Again,X,02/03/2014,Male,,\n");
  ASSERT_EQ(run(cfg), 1);
  EXPECT_EQ(quarantine().back().substr(0, 16), "record.duplicate");
  EXPECT_EQ(p1(), "New|BL9 9ZZ|in/people_2026-12.csv");
}

TEST_F(CmsCsv, AnUnclosedQuoteFailsTheSourceWithItsLine) {
  test::write_file(dir_ / "in/a.csv", "Person ID,Surname,Forename,Date of Birth,Gender,Post Code,UPN\n"
                                      "P1,A,X,02/03/2014,Male,,\nP2,\"B,X,02/03/2014,Male,,\n");
  EXPECT_EQ(run(config("people.json")), 3);
  EXPECT_TRUE(quarantine().empty());
  EXPECT_NE(store()->runs()[0].sources[0].error.find("a.csv:3: a quoted field is not closed"), std::string::npos)
      << store()->runs()[0].sources[0].error;
  EXPECT_TRUE(people().empty());
}

TEST_F(CmsCsv, ProfileMistakesAreConfigurationErrorsNamingTheKey) {
  test::write_file(dir_ / "bad.json", R"({"record": "request", "columns": {"request_ref": "Ref", "shoe_size": "Shoes"}})");
  test::write_file(dir_ / "in/a.csv", "Ref\nR1\n");
  auto r = test::sendhub("run --config " + config("bad.json"));
  EXPECT_EQ(r.code, 2) << r.output;
  EXPECT_NE(r.output.find("columns.shoe_size"), std::string::npos) << r.output;
  test::write_file(dir_ / "bad.json", R"({"record": "request", "colums": {}})");
  r = test::sendhub("run --config " + config("bad.json"));
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.output.find("colums: unknown key"), std::string::npos) << r.output;
}

TEST_F(CmsCsv, ValidateWithAProfileChecksWithoutLoading) {
  test::write_file(dir_ / "r.csv", "Ref,Person,Received,Decision,Mediation,Outcome,Exception,Plan Start\n"
                                   "R1,P1,03/02/2025,Agreed,0,,,\nR2,P1,31/02/2025,Agreed,0,,,\n");
  auto r = test::sendhub("validate --profile " + (dir_ / "requests.json") + " " + (dir_ / "r.csv"));
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.output.find("r.csv:3: column 3: Received: not a date in the profile's formats (%d/%m/%Y, %Y-%m-%d; a time after the date is ignored) [csv.date, error]"),
            std::string::npos) << r.output;
  EXPECT_FALSE(std::filesystem::exists(dir_ / "store"));
}

TEST(Demo, TheDemoConfigurationLoadsTheSampleExports) {
  TempDir dir;
  std::filesystem::copy(SENDHUB_SOURCE_DIR "/config", dir / "config", std::filesystem::copy_options::recursive);
  test::generate_sample(dir / "var/sample", 60);
  std::string cfg = test::read_file(dir / "config/demo.json");
  cfg.replace(cfg.find("\"sources\""), 0, "\"plugins_dir\": \"" SENDHUB_TEST_PLUGIN_DIR "\", \"schemas_dir\": \"" SENDHUB_SOURCE_DIR "/schemas\", ");
  test::write_file(dir / "config/demo.json", cfg);
  auto r = test::sendhub("run --config " + (dir / "config/demo.json"));
  EXPECT_EQ(r.code, 0) << r.output;
  for (const char* source : {"cms-people", "cms-involvements", "cms-referrals"}) {
    auto at = r.output.find(std::string("sendhub: ") + source + ": ");
    ASSERT_NE(at, std::string::npos) << source;
    const std::string line = r.output.substr(at, r.output.find('\n', at) - at);
    EXPECT_EQ(line.find(": 0 read"), std::string::npos) << line;
    EXPECT_NE(line.find(", 0 quarantined"), std::string::npos) << line;
  }
  EXPECT_TRUE(std::filesystem::exists(dir / "var/out/sen2-2026.xml"));
}

}  // namespace
}  // namespace sendhub

namespace sendhub {
namespace {

// Issue 12.4: a status with an en dash or a double space was quarantined; there was no
// default and no pattern.
TEST_F(CmsCsv, CodeMapsFoldDashesSpacesAndQuotesAndTakePatternsAndADefault) {
  test::write_file(dir_ / "codes.json", R"({"record": "request",
    "columns": {"request_ref": "Ref", "person_ref": "/^person( id)?$/", "received_date": "/^date .*received$/",
                "request_outcome": "Decision", "request_source": "Referrer"},
    "codes": {"request_outcome": {"Agreed – Assess": "Y", "/^refused/": "N", "default": "A"},
              "request_source": {"Parent’s request": "1", "School": "2"}}})");
  test::write_file(dir_ / "in/r.csv", "Ref,Person ID,Date Request Received,Decision,Referrer\n"
                                      "R1,P1,03/02/2025,agreed  -  assess,Parent's request\n"
                                      "R2,P2,03/02/2025,Refused (no SEN),SCHOOL\n"
                                      "R3,P3,03/02/2025,Under review,School\n"
                                      "R4,P4,03/02/2025,Agreed \xE2\x80\x94 Assess,Nurse\n");
  EXPECT_EQ(run(config("codes.json")), 1);
  std::map<std::string, std::string> outcome;
  for (const auto& r : store()->read(RecordKind::request, 0))
    outcome[r.get("request_ref")] = r.get("request_outcome") + r.get("request_source") + r.get("received_date");
  EXPECT_EQ(outcome["R1"], "Y12025-02-03") << "an en dash and a double space fold; a straight quote matches a curly one";
  EXPECT_EQ(outcome["R2"], "N22025-02-03") << "a /pattern/ key and case";
  EXPECT_EQ(outcome["R3"], "A22025-02-03") << "the default for what nothing maps";
  EXPECT_EQ(outcome.count("R4"), 0u) << "a referrer nothing maps, with no default, is still quarantined";
  ASSERT_EQ(quarantine().size(), 1u);
  EXPECT_EQ(quarantine()[0].rfind("csv.code|Referrer|5|", 0), 0u) << quarantine()[0];
}

}  // namespace
}  // namespace sendhub

namespace sendhub {
namespace {

// Issue 12.10: an extra column (caseworker, team) could not be kept.
TEST_F(CmsCsv, ExtraColumnsAreKeptWithTheRecordForSinks) {
  test::write_file(dir_ / "extras.json", R"({"record": "request",
    "columns": {"request_ref": "Ref", "person_ref": "Person", "received_date": "Received"},
    "extras": {"caseworker": "Allocated Worker", "team": "Team"}})");
  test::write_file(dir_ / "in/r.csv", "Ref,Person,Received,Allocated Worker,Team\n"
                                      "R1,P1,03/02/2025,SW Jones,North\nR2,P2,04/02/2025,,South\n");
  ASSERT_EQ(run(config("extras.json")), 0);
  std::map<std::string, std::map<std::string, std::string>> extras;
  for (const auto& r : store()->read(RecordKind::request, 0)) extras[r.get("request_ref")] = r.extras;
  EXPECT_EQ(extras["R1"], (std::map<std::string, std::string>{{"caseworker", "SW Jones"}, {"team", "North"}}));
  EXPECT_EQ(extras["R2"], (std::map<std::string, std::string>{{"team", "South"}})) << "an empty cell is no extra";
  ASSERT_EQ(run(config("extras.json")), 0);
  EXPECT_EQ(last_counts().files_skipped, 1) << "the unchanged file is not read again";
  test::write_file(dir_ / "in/r.csv", "Ref,Person,Received,Allocated Worker,Team\n"
                                      "R1,P1,03/02/2025,SW Jones,East\nR2,P2,04/02/2025,,South\n");
  ASSERT_EQ(run(config("extras.json")), 0);
  EXPECT_EQ(last_counts().stored, 1) << "a changed extra is a changed record";
}

}  // namespace
}  // namespace sendhub

namespace sendhub {
namespace {

// Found by fuzz_csv (tests/fuzz/corpus/fuzz_csv/header-help-unclosed-quote): a missing column
// and an unclosed quote below the header made the header hint throw out of its handler and
// end the process. The source fails with the missing column, as it should.
TEST_F(CmsCsv, AMissingColumnAndAnUnclosedQuoteFailTheSourceWithoutACrash) {
  test::write_file(dir_ / "in/a.csv", "Person ID,Surname\nP1,\"Ashby\n");
  auto r = test::sendhub("run --config " + config("people.json"));
  EXPECT_EQ(r.code, 3) << r.output;
  EXPECT_NE(r.output.find("is missing from the file; row 1 holds: Person ID, Surname"), std::string::npos) << r.output;
}

}  // namespace
}  // namespace sendhub

namespace sendhub {
namespace {

// Rows are parsed on a second thread and stored on the run's (plugins/support/host_pipe.h):
// thousands of rows, far past what the pipe holds at once, still arrive whole and in file
// order, each bad row quarantined at its line and a repeated key caught as in one thread.
TEST_F(CmsCsv, ThousandsOfRowsThroughThePipeArriveInOrderWithEveryBadRowAtItsLine) {
  std::string csv = "Person ID,Surname,Forename,Date of Birth,Gender,Post Code,UPN\n";
  for (int i = 0; i < 5000; ++i) {
    const std::string ref = i == 4321 ? "P17" : "P" + std::to_string(i);    // line 4323 repeats line 19
    const std::string born = i % 1000 == 999 ? "31/02/2014" : "02/03/2014";  // lines 1001, 2001...
    csv += ref + ",Surname" + std::to_string(i) + ",X," + born + ",Male,,\n";
  }
  test::write_file(dir_ / "in/people.csv", csv);
  EXPECT_EQ(run(config("people.json")), 1);
  const auto q = quarantine();
  ASSERT_EQ(q.size(), 6u);
  for (int k = 0; k < 4; ++k) EXPECT_EQ(q[k].rfind("csv.date|Date of Birth|" + std::to_string(1001 + 1000 * k) + "|", 0), 0u) << q[k];
  EXPECT_EQ(q[4].rfind("record.duplicate|person_ref|4323|", 0), 0u) << q[4];
  EXPECT_EQ(q[5].rfind("csv.date|Date of Birth|5001|", 0), 0u) << q[5];
  const auto stored = people();
  ASSERT_EQ(stored.size(), 4994u);
  for (const auto& p : stored) {
    if (p.get("person_ref") != "P17") continue;
    EXPECT_EQ(p.get("surname"), "Surname17") << "the first row with the key stands";
  }
  const auto c = last_counts();
  EXPECT_EQ(c.stored, 4994);
  EXPECT_EQ(c.quarantined, 6);
}

}  // namespace
}  // namespace sendhub
