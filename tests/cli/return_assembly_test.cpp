// Issue 10: the SEN2 return assembled from the one dataset. The sample generator writes,
// from one synthetic timeline, each year's return (the known truth) and the casework
// history a case-management system would export on census day (every request since the
// first, plans, settings, placements, needs and every review). A return assembled from the
// casework alone, or from casework and the loaded returns together, must equal the truth.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <map>
#include <regex>
#include <sstream>

#include "test_support.h"

namespace sendhub {
namespace {

using test::TempDir;

// The Person elements of a return, sorted: the assembled order differs from the truth's
// when persons are ordered by person_key (nothing was loaded for that year).
std::vector<std::string> persons(const std::string& file) {
  const std::string xml = test::read_file(file);
  std::vector<std::string> out;
  for (std::size_t at = xml.find("<Person>"); at != std::string::npos; at = xml.find("<Person>", at + 1))
    out.push_back(xml.substr(at, xml.find("</Person>", at) - at));
  std::sort(out.begin(), out.end());
  return out;
}

// Rewrites a casework CSV (no quoted fields) row by row: `edit` may change the fields of a
// row (padded to `width`) and returns whether it did; the header row is passed too.
void edit_rows(const std::string& file, std::size_t width, const std::function<bool(std::vector<std::string>&)>& edit) {
  const std::string text = test::read_file(file);
  std::string out;
  for (std::size_t at = 0; at < text.size();) {
    const auto end = text.find("\r\n", at) + 2;
    std::vector<std::string> f;
    std::stringstream line(text.substr(at, end - at - 2));
    for (std::string cell; std::getline(line, cell, ',');) f.push_back(cell);
    f.resize(width);
    edit(f);
    std::string row;
    for (std::size_t i = 0; i < f.size(); ++i) row += (i ? "," : "") + f[i];
    out += row + "\r\n";
    at = end;
  }
  test::write_file(file, out);
}

class ReturnAssembly : public ::testing::Test {
 protected:
  void SetUp() override {
    test::generate_sample(dir_ / "var/sample", 150);
    std::filesystem::copy(SENDHUB_SOURCE_DIR "/config", dir_ / "config", std::filesystem::copy_options::recursive);
  }
  // config/casework.json as shipped, with this build's folders, and `extra` sources first.
  std::string config(const std::string& extra_sources = "", const std::string& sink_extra = "") {
    std::string cfg = test::read_file(dir_ / "config/casework.json");
    cfg.replace(cfg.find("\"sources\""), 0, "\"plugins_dir\": \"" SENDHUB_TEST_PLUGIN_DIR "\", \"schemas_dir\": \"" SENDHUB_SOURCE_DIR "/schemas\", ");
    if (!extra_sources.empty()) cfg.replace(cfg.find('[', cfg.find("\"sources\"")) + 1, 0, extra_sources + ",");
    for (std::size_t at = cfg.find("\"dsco\": \"R\""); at != std::string::npos; at = cfg.find("\"dsco\": \"R\"", at + 1))
      cfg.insert(at + 11, sink_extra);
    test::write_file(dir_ / "config/hub.json", cfg);
    return dir_ / "config/hub.json";
  }
  test::Result run(const std::string& cfg) { return test::sendhub("run --as-at 2026-01-15 --config " + cfg); }
  std::string truth(int year) { return dir_ / ("var/sample/sen2/sen2_" + std::to_string(year) + ".xml"); }
  std::string out(int year) { return dir_ / ("var/casework/out/sen2-" + std::to_string(year) + ".xml"); }
  TempDir dir_;
};

TEST_F(ReturnAssembly, FromCaseworkAloneEqualsTheKnownTruthOfEachYear) {
  auto r = run(config());
  ASSERT_LE(r.code, 1) << r.output;
  for (int year : {2025, 2026}) {
    auto expected = persons(truth(year)), got = persons(out(year));
    EXPECT_GT(expected.size(), 80u);
    EXPECT_EQ(got.size(), expected.size()) << year;
    EXPECT_TRUE(got == expected) << year << ": the assembled return differs from the known truth";
    const std::string xml = test::read_file(out(year));
    EXPECT_NE(xml.find("<RequestOutcome>H</RequestOutcome>"), std::string::npos) << "old holders are H chains";
    EXPECT_NE(xml.find("<Year>" + std::to_string(year) + "</Year>"), std::string::npos);
    EXPECT_NE(xml.find("<DSCO>R</DSCO>"), std::string::npos) << "the header's LA facts come from the sink";
  }
  // Nobody out of scope: the casework holds many more people and cases than the return.
  EXPECT_NE(r.output.find("(" + std::to_string(persons(truth(2026)).size()) + " persons"), std::string::npos);
  const std::string first = test::read_file(out(2026));
  ASSERT_LE(run(config()).code, 1);
  EXPECT_EQ(test::read_file(out(2026)), first) << "the same inputs give the same bytes";
}

TEST_F(ReturnAssembly, FromCaseworkAndTheLoadedReturnsNoPersonOrCaseIsThereTwice) {
  auto r = run(config(R"({"name": "sen2-returns", "connector": "sen2_xml", "path": "../var/sample/sen2/*.xml"})"));
  ASSERT_LE(r.code, 1) << r.output;
  for (int year : {2025, 2026}) EXPECT_TRUE(persons(out(year)) == persons(truth(year))) << year;
}

TEST_F(ReturnAssembly, ReadinessSaysReadyAndPointsQueriesAtTheCaseworkRows) {
  ASSERT_LE(run(config()).code, 1);
  const std::string csv = test::read_file(dir_ / "var/casework/out/return_readiness_2026.csv");
  EXPECT_NE(csv.find("verdict,ok,"), std::string::npos) << csv.substr(0, 400);
  EXPECT_NE(csv.find("ready to upload"), std::string::npos);
  EXPECT_NE(csv.find(",requests," + (dir_ / "var/sample/casework/requests.csv") + ","), std::string::npos)
      << "a query names the source, its file and line";
  EXPECT_NE(test::read_file(dir_ / "var/casework/out/return_readiness_2026.html").find("ready to upload"), std::string::npos);
}

// A planted gap: the needs of one active plan are missing from the casework. The return is
// withheld, and the readiness report names the case, its source file and line.
TEST_F(ReturnAssembly, ReadinessNamesThePlantedGapAndTheReturnIsWithheld) {
  const std::string needs_file = dir_ / "var/sample/casework/needs.csv";
  std::string needs = test::read_file(needs_file);
  const auto first_row = needs.find("\r\n") + 2;
  const std::string case_id = needs.substr(first_row, needs.find(',', first_row) - first_row);
  std::string kept = needs.substr(0, first_row);
  for (std::size_t at = first_row; at < needs.size();) {
    const auto end = needs.find("\r\n", at) + 2;
    if (needs.compare(at, case_id.size() + 1, case_id + ",") != 0) kept += needs.substr(at, end - at);
    at = end;
  }
  test::write_file(needs_file, kept);
  auto r = run(config());
  EXPECT_EQ(r.code, 3) << r.output;
  EXPECT_NE(r.output.find("errors block the upload"), std::string::npos) << r.output;
  EXPECT_FALSE(std::filesystem::exists(out(2026)));
  const std::string csv = test::read_file(dir_ / "var/casework/out/return_readiness_2026.csv");
  EXPECT_NE(csv.find("SEN2-V11,error,"), std::string::npos) << csv.substr(0, 600);
  EXPECT_NE(csv.find("," + case_id + ",requests," + (dir_ / "var/sample/casework/requests.csv") + ","), std::string::npos)
      << csv.substr(0, 600);
  // Nothing changed: the return is not assembled again, but it is still withheld (issue 11).
  const auto written = std::filesystem::last_write_time(dir_ / "var/casework/out/return_readiness_2026.csv");
  auto again = run(config());
  EXPECT_EQ(again.code, 3) << again.output;
  EXPECT_NE(again.output.find("unchanged since run 1"), std::string::npos) << again.output;
  EXPECT_NE(again.output.find("errors block the upload"), std::string::npos) << again.output;
  EXPECT_EQ(std::filesystem::last_write_time(dir_ / "var/casework/out/return_readiness_2026.csv"), written);
  // Withheld, the return is not written past its first error; forced, it is written whole:
  // every person the run counted, those after the first error too.
  auto forced = run(config("", R"(, "force": true)"));
  ASSERT_LE(forced.code, 1) << forced.output;
  const auto counted = forced.output.find(" persons, ");
  ASSERT_NE(counted, std::string::npos) << forced.output;
  const std::string n = forced.output.substr(forced.output.rfind('(', counted) + 1, counted - forced.output.rfind('(', counted) - 1);
  EXPECT_EQ(std::to_string(persons(out(2026)).size()), n) << forced.output;
  EXPECT_GT(std::stoi(n), 100);
}

// Planted gaps against the 2025 return as loaded: one plan it reports active has since been
// recorded as ceased before that census, and one active plan is missing from it.
TEST_F(ReturnAssembly, ReconciliationBalancesAndListsThePlantedGaps) {
  auto cfg = config(R"({"name": "sen2-2025", "connector": "sen2_xml", "path": "../var/sample/sen2/sen2_2025.xml"})",
                    R"(, "force": true)");
  ASSERT_LE(run(cfg).code, 1);
  const std::string clean = test::read_file(dir_ / "var/casework/out/return_reconciliation_2026.csv");
  EXPECT_NE(clean.find("balance,unexplained difference,0,,"), std::string::npos) << clean;
  EXPECT_NE(clean.find("(the 2025 return as loaded)"), std::string::npos) << clean;
  EXPECT_EQ(clean.find("\r\ncase,"), std::string::npos) << clean;

  // Gap 1: a plan active in the 2025 return; the casework now says it ceased before that census.
  std::string ceased_case;
  // Columns: 17 Plan Start, 23 Cease Date, 24 Cease Reason (casework-requests.json).
  edit_rows(dir_ / "var/sample/casework/requests.csv", 29, [&](std::vector<std::string>& f) {
    if (!ceased_case.empty() || f[17].size() != 10 || f[17].substr(6) >= "2024" || !f[23].empty()) return false;
    ceased_case = f[0];
    f[23] = "20/12/2024";
    f[24] = "9";
    return true;
  });
  ASSERT_FALSE(ceased_case.empty()) << "a plan started before 2024 with no cease";
  // Gap 2: another person (the file's last H holder) dropped from the 2025 return as loaded.
  const std::string ret_file = dir_ / "var/sample/sen2/sen2_2025.xml";
  std::string ret = test::read_file(ret_file);
  const auto person = ret.rfind("<Person>", ret.rfind("<RequestOutcome>H</RequestOutcome>"));
  ret.erase(person, ret.find("</Person>", person) + 9 - person);
  test::write_file(ret_file, ret);

  auto r = run(cfg);
  ASSERT_LE(r.code, 1) << r.output;
  const std::string gaps = test::read_file(dir_ / "var/casework/out/return_reconciliation_2026.csv");
  // The two gaps offset each other in the totals; that is why every case is listed.
  EXPECT_NE(gaps.find("no cease or transfer explains it\",,"), std::string::npos) << gaps;
  EXPECT_NE(gaps.find("was not in that return"), std::string::npos) << gaps;
  EXPECT_NE(r.output.find("reconciliation with 2025: plans active at 2025-01-16"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("\"note\":"), std::string::npos) << "the deltas are in the run summary";
  EXPECT_NE(gaps.find("was not in that return,,"), std::string::npos) << gaps;
  EXPECT_EQ(std::count(gaps.begin(), gaps.end(), '\n'), 10) << "seven balance lines, two cases: " << gaps;
  (void)ceased_case;
}

// sen2.md §1.3: a child who moved away before the assessment finished is reported with
// Exported and nothing further.
TEST_F(ReturnAssembly, AnExportedRequestCarriesNothingFurther) {
  // The first request received in 2025 that the council agreed to assess (columns: 2
  // Received, 6 Decision, 9 Exported To; casework-requests.json).
  std::string case_id;
  edit_rows(dir_ / "var/sample/casework/requests.csv", 29, [&](std::vector<std::string>& f) {
    if (!case_id.empty() || f[2].size() != 10 || f[2].substr(6) != "2025" || f[6] != "Agreed") return false;
    case_id = f[0];
    f[9] = "352";
    return true;
  });
  ASSERT_FALSE(case_id.empty());
  ASSERT_LE(run(config()).code, 1);
  const std::string xml = test::read_file(out(2026));
  const auto exported_at = xml.find("<Exported>352</Exported>");
  ASSERT_NE(exported_at, std::string::npos) << case_id;
  const auto end = xml.find("</Requests>", exported_at);
  EXPECT_EQ(xml.substr(exported_at, end - exported_at).find("<Assessment>"), std::string::npos);
}

// Issue 25: mediations and appeals about plans issued years before the period (H chains).
// The generator puts some in the truth (OtherMediation/OtherTribunal on H chains) and their
// dates in the casework export. The chains of a return with such flags, and the KPIs of the
// period, whether the dataset came from the casework or from the returns themselves.
std::map<std::string, int> truth_about_plans(const std::string& xml, bool historical_only) {
  std::map<std::string, int> out;
  for (std::size_t at = xml.find("<Requests>"); at != std::string::npos; at = xml.find("<Requests>", at + 1)) {
    const std::string chain = xml.substr(at, xml.find("</Requests>", at) - at);
    const bool h = chain.find("<AssessmentOutcome>H") != std::string::npos;
    const auto date = chain.find("<AssessmentOutcomeDate>2025-");
    if (!h && (historical_only || date == std::string::npos)) continue;
    for (const char* what : {"Mediation", "Tribunal"})
      if (chain.find(std::string("<Other") + what + ">1") != std::string::npos) ++out[what];
  }
  return out;
}

std::string kpi_row(const std::string& csv, const std::string& measure, const std::string& stage) {
  const std::string head = measure + ",2025-01-01,2025-12-31,2026-01-15,stage," + stage + ",";
  const auto at = csv.find("\n" + head);
  return at == std::string::npos ? "missing" : csv.substr(at + 1 + head.size(), csv.find(',', at + 1 + head.size()) - at - 1 - head.size());
}

TEST_F(ReturnAssembly, AppealsAboutPlansIssuedBeforeThePeriodAreInTheReturnAndTheKpis) {
  const auto in_h_chains = truth_about_plans(test::read_file(truth(2026)), true);
  ASSERT_GT(in_h_chains.at("Mediation") + in_h_chains.at("Tribunal"), 3) << "the truth holds H chains with appeals";
  const auto expected = truth_about_plans(test::read_file(truth(2026)), false);
  const std::string sen2_only = R"({"name": "sen2-returns", "connector": "sen2_xml", "path": "../var/sample/sen2/*.xml"})";
  for (const bool casework : {true, false}) {
    std::string cfg = config(casework ? "" : sen2_only);
    if (!casework) {   // the returns alone: drop the casework sources
      std::string text = test::read_file(cfg);
      text = std::regex_replace(text, std::regex(R"re(\{ "name": "(people|requests|plan-settings|placements|needs|reviews)"[^}]*\},?)re"), "");
      text = std::regex_replace(text, std::regex(R"re(\},\s*\])re"), "}]");
      text = std::regex_replace(text, std::regex(R"re("person_sources"[^}]*\},\s*"request_sources"[^}]*\},)re"), "");
      test::write_file(cfg, text);
    }
    std::filesystem::remove_all(dir_ / "var/casework");
    auto r = run(cfg);
    ASSERT_LE(r.code, 1) << r.output;
    EXPECT_TRUE(persons(out(2026)) == persons(truth(2026))) << (casework ? "casework" : "returns");
    // (An older year's return rebuilt from the returns alone takes the newest return's reviews:
    // a known gap, not this issue's.)
    if (casework) {
      EXPECT_TRUE(persons(out(2025)) == persons(truth(2025)));
    }
    auto k = test::sendhub("kpis --from 2025-01-01 --to 2025-12-31 --as-at 2026-01-15 --config " + cfg + " --out " + (dir_ / "k"));
    ASSERT_EQ(k.code, 0) << k.output;
    const std::string csv = test::read_file(dir_ / "k/kpis.csv");
    EXPECT_EQ(kpi_row(csv, "mediations", "other"), std::to_string(expected.at("Mediation"))) << (casework ? "casework" : "returns");
    EXPECT_EQ(kpi_row(csv, "tribunals", "other"), std::to_string(expected.at("Tribunal"))) << (casework ? "casework" : "returns");
  }
}

TEST_F(ReturnAssembly, AnEmptyReturnIsAFailureThatSaysWhy) {
  std::string cfg = test::read_file(config());
  // Only people: no case at all.
  cfg = std::regex_replace(cfg, std::regex(R"re(\{ "name": "(requests|plan-settings|placements|needs|reviews)"[^}]*\},?)re"), "");
  cfg = std::regex_replace(cfg, std::regex(R"re(\},\s*\])re"), "}]");
  test::write_file(dir_ / "config/people-only.json", cfg);
  auto r = run(dir_ / "config/people-only.json");
  EXPECT_EQ(r.code, 3) << r.output;
  EXPECT_NE(r.output.find("no person is in scope of the 2026 return"), std::string::npos) << r.output;
  EXPECT_FALSE(std::filesystem::exists(out(2026)));
}

}  // namespace
}  // namespace sendhub
