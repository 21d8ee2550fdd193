// Issue 29.3-4: the inspection's List 1 (children with an EHC plan) at 2026-01-15 from a casework
// history whose every cell is known by hand, written as .xlsx and CSV with the inspection's
// headings, and Data to Insight's checks: a clean child passes, each planted defect is flagged
// by its own rule, pointing at the record to fix.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <map>
#include <set>

#include "clinic_fixture.h"
#include "reference.h"
#include "xlsx_reader.h"

namespace sendhub {
namespace {

// ref, surname, dob, sex, ethnicity, upn, uln, postcode, social care, team, disability
const char* kChildren =
    "ref,surname,dob,sex,eth,upn,uln,social,team,disab\n"
    "K1,Abbot,2012-05-05,M,WBRI,H351710213759,,Y,Disabled Children,Y\n"   // clean
    "K2,Barlow,2011-02-02,F,,A351493721029,,N,,N\n"                         // no ethnicity
    "K3,Cooper,1999-06-01,M,WIRI,M351581412664,3003322450,,,Y\n"           // 26: too old; no need
    "K4,Dixon,2018-01-01,F,ABAN,,,,,\n"                                     // 8, no UPN or ULN, no setting, no disability
    "K5,Eaton,2015-03-03,M,WBRI,V351242410115,,N,,N\n"                      // a subsidiary without a main setting
    "K6,Foster,2010-10-10,F,WBRI,A351504520889,,N,,N\n"                     // plan ceased: not on the list
    "K7,Gibson,2013-07-07,M,BCRB,F351401917556,,N,,N\n"                     // initial plan after the updated one
    "K10,Holt,2014-01-20,F,WBRI,U351283523255,,N,,N\n"                      // elective home education
    "K11,Irwin,2000-06-01,M,WBRI,,4832364056,N,,N\n";                       // 25: a query
const char* kCases = "case,person,received,decided,outcome,plan_start,ceased\n"
                     "Q1,K1,2019-01-10,2019-02-10,Y,2019-05-01,\n"
                     "Q2,K2,2019-11-01,2019-12-01,Y,2020-03-01,\n"
                     "Q3,K3,2015-01-01,2015-02-01,Y,2015-06-01,\n"
                     "Q4,K4,2024-01-01,2024-02-01,Y,2024-05-01,\n"
                     "Q5,K5,2022-01-01,2022-02-01,Y,2022-05-01,\n"
                     "Q6,K6,2020-01-01,2020-02-01,Y,2020-05-01,2025-06-01\n"
                     "Q7,K7,2023-01-01,2023-02-01,Y,2023-05-01,\n"
                     "Q10,K10,2021-01-01,2021-02-01,Y,2021-05-01,\n"
                     "Q11,K11,2016-01-01,2016-02-01,Y,2016-05-01,\n";
const char* kInspectionReviews = "case,seq,meeting,outcome,draft\n"
                                 "Q1,1,2025-06-10,M,\n"
                                 "Q2,1,2024-10-01,A,2024-11-20\n"
                                 "Q2,2,2025-10-01,M,\n"
                                 "Q2,3,2026-03-01,M,\n"          // after the list's date: not the last review
                                 "Q7,1,2023-02-01,A,2023-03-01\n";   // both before the plan began: two rules
const char* kInspectionNeeds = "case,seq,need,rank\nQ1,1,ASD,1\nQ1,2,SLCN,2\nQ2,1,SEMH,1\nQ4,1,DS,1\nQ5,1,MLD,1\nQ7,1,PD,1\n"
                               "Q10,1,SPLD,1\nQ11,1,PMLD,1\n";
const char* kInspectionPlacements = "case,seq,urn,setting,rank,entry,leaving\n"
                                    "Q1,1,100001,,1,2024-09-01,\n"
                                    "Q1,2,100009,,1,2019-05-01,2024-08-31\n"   // left: not the current one
                                    "Q2,1,100002,,1,2020-03-01,\n"
                                    "Q2,2,100003,,2,2020-03-01,\n"
                                    "Q3,1,133333,,1,2015-06-01,\n"
                                    "Q5,1,100005,,2,2022-05-01,\n"
                                    "Q7,1,100007,,1,2023-05-01,\n"
                                    "Q10,1,,EHE,1,2021-05-01,\n"
                                    "Q11,1,144444,,1,2016-05-01,\n";

std::string config(const test::TempDir& dir, const std::string& sinks) {
  using test::profile;
  test::write_file(dir / "in/people.csv", kChildren);
  test::write_file(dir / "in/cases.csv", kCases);
  test::write_file(dir / "in/reviews.csv", kInspectionReviews);
  test::write_file(dir / "in/needs.csv", kInspectionNeeds);
  test::write_file(dir / "in/placements.csv", kInspectionPlacements);
  test::write_file(dir / "p/people.json",
                   profile("person", R"("person_ref": "ref", "surname": "surname", "birth_date": "dob", "sex": "sex",
                           "ethnicity": "eth", "upn": "upn", "uln": "uln")",
                           R"("known_to_social_care": "social", "social_care_team": "team", "disability": "disab")"));
  test::write_file(dir / "p/cases.json",
                   profile("request", R"("request_ref": "case", "person_ref": "person", "received_date": "received",
                           "request_outcome_date": "decided", "request_outcome": "outcome", "assessment_outcome": "outcome",
                           "assessment_outcome_date": "plan_start", "start_date": "plan_start", "cease_date": "ceased")"));
  test::write_file(dir / "p/reviews.json", profile("review", R"("request_ref": "case", "seq": "seq", "review_meeting": "meeting",
                                                   "review_outcome": "outcome", "review_draft": "draft")"));
  test::write_file(dir / "p/needs.json", profile("need", R"("request_ref": "case", "seq": "seq", "sen_type": "need", "sen_type_rank": "rank")"));
  test::write_file(dir / "p/placements.json",
                   profile("placement", R"("request_ref": "case", "seq": "seq", "urn": "urn", "sen_setting": "setting",
                           "placement_rank": "rank", "entry_date": "entry", "leaving_date": "leaving")"));
  std::string sources;
  for (const char* n : {"people", "cases", "reviews", "needs", "placements"})
    sources += std::string(sources.empty() ? "" : ",") + R"({"name": ")" + n + R"(", "connector": "cms_csv", "path": "in/)" + n +
               R"(.csv", "profile": "p/)" + n + R"(.json"})";
  return test::write_config(dir, "[" + sources + "]", sinks,
                            R"("link": {"person_sources": {"cases": "people"}, "request_sources": {"reviews": "cases", "needs": "cases", "placements": "cases"}},)");
}

using Table = std::map<std::string, std::map<std::string, std::string>>;   // Unique ID's child -> heading -> value

Table rows_of(const std::vector<std::vector<std::string>>& rows, const std::map<std::string, std::string>& child_of) {
  Table t;
  for (std::size_t i = 1; i < rows.size(); ++i) {
    auto& r = t[child_of.at(rows[i][0])];
    for (std::size_t c = 0; c < rows[0].size(); ++c) r[rows[0][c]] = c < rows[i].size() ? rows[i][c] : "";
  }
  return t;
}

std::vector<std::vector<std::string>> csv(const std::string& text) {
  std::vector<std::vector<std::string>> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(kpi::split(line));
  return out;
}

TEST(InspectionLists, List1HoldsExactlyTheRightChildrenWithTheRightValuesAndEachDefectItsRule) {
  test::TempDir dir;
  auto r = test::sendhub("run --as-at 2026-01-15 --config " +
                         config(dir, R"([{"name": "lists", "connector": "inspection_lists", "out": "lists", "force": true}])"));
  ASSERT_LE(r.code, 1) << r.output;
  // Unique ID is the person_key: map it back to the child through explain's link table.
  std::map<std::string, std::string> child_of;
  auto links = test::run("sqlite3 " + (dir / "store/sendhub.db") + " \"SELECT person_key, person_ref FROM person_link\"");
  std::istringstream ls(links.output);
  for (std::string line; std::getline(ls, line);) child_of[line.substr(0, line.find('|'))] = line.substr(line.find('|') + 1);

  const auto text = csv(test::read_file(dir / "lists/list1_ehc_plans.csv"));
  ASSERT_FALSE(text.empty());
  EXPECT_EQ(text[0].size(), 21u);
  EXPECT_EQ(text[0][10], "Main education establishment \u2013 URN");
  EXPECT_EQ(text[0][20], "Does the child or young person have a disability?");
  const Table t = rows_of(text, child_of);
  EXPECT_EQ(t.size(), 8u) << "every active plan, not the ceased one";
  EXPECT_EQ(t.count("K6"), 0u);
  const std::map<std::string, std::string> k1 = {
      {"UPN", "H351710213759"}, {"ULN", ""}, {"Date of birth", "05/05/2012"}, {"Gender", "M"}, {"Ethnicity", "WBRI"},
      {"Date initial EHC plan issued", "01/05/2019"}, {"Date updated EHC plan issued", ""},
      {"Date EHC plan last reviewed", "10/06/2025"}, {"SEN primary need", "k"},
      {"Main education establishment \u2013 URN", "100001"}, {"Elective home education", "No"},
      {"Known to children's social care?", "Yes"}, {"Which children's social care team?", "Disabled Children"},
      {"Does the child or young person have a disability?", "Yes"}, {"Suspensions", ""}, {"Absence", ""}};
  for (const auto& [heading, value] : k1) EXPECT_EQ(t.at("K1").at(heading), value) << heading;
  EXPECT_EQ(t.at("K2").at("Date updated EHC plan issued"), "20/11/2024") << "the amended plan a review led to";
  EXPECT_EQ(t.at("K2").at("Date EHC plan last reviewed"), "01/10/2025") << "not the review after the list's date";
  EXPECT_EQ(t.at("K2").at("Main education establishment \u2013 URN"), "100002");
  EXPECT_EQ(t.at("K4").at("SEN primary need"), "l") << "Down syndrome is the inspection's other difficulty";
  EXPECT_EQ(t.at("K10").at("Elective home education"), "Yes");
  EXPECT_EQ(t.at("K4").at("Does the child or young person have a disability?"), "") << "unknown stays empty";

  // The workbook holds the same cells, as text, under the same headings.
  const auto sheet = plugin_support::read_sheet(dir / "lists/list1_ehc_plans.xlsx", "");
  ASSERT_EQ(sheet.size(), text.size());
  for (std::size_t i = 0; i < sheet.size(); ++i)
    for (std::size_t c = 0; c < text[0].size(); ++c)
      EXPECT_EQ(c < sheet[i].cells.size() ? sheet[i].cells[c] : "", text[i][c]) << "row " << i << " column " << c;
  for (const char* f : {"list1_ehc_plans.csv", "list1_ehc_plans.xlsx", "inspection_readiness.csv", "inspection_readiness.html"}) {
    struct stat st {};
    ASSERT_EQ(::stat((dir / ("lists/" + std::string(f))).c_str(), &st), 0) << f;
    EXPECT_EQ(st.st_mode & 0777, 0600u) << f;
  }

  // Each planted defect flagged by its own rule, on the right child and the record to fix.
  std::set<std::string> got;
  const auto issues = csv(test::read_file(dir / "lists/inspection_readiness.csv"));
  for (std::size_t i = 1; i < issues.size(); ++i) {
    got.insert(child_of.at(issues[i][1]) + " " + issues[i][3]);
    EXPECT_FALSE(issues[i][6].empty()) << "a source to fix: " << issues[i][3];
  }
  const std::set<std::string> want = {"K2 d2i.ethnicity_missing", "K3 d2i.age_26_or_over", "K3 d2i.need_missing",
                                      "K4 d2i.no_upn_or_uln", "K4 d2i.no_establishment", "K4 d2i.disability_missing",
                                      "K5 d2i.subsidiary_without_main", "K5 d2i.no_establishment",
                                      "K7 d2i.initial_after_updated", "K7 d2i.initial_after_review", "K11 d2i.age_25"};
  EXPECT_EQ(got, want);
  const std::string report = test::read_file(dir / "lists/inspection_readiness.html");
  for (const char* name : {"Abbot", "Barlow", "H351710213759"}) EXPECT_EQ(report.find(name), std::string::npos) << name;
  EXPECT_EQ(r.output.find("Abbot"), std::string::npos);
}

TEST(InspectionLists, ErrorsWithholdTheListsButNotTheReport) {
  test::TempDir dir;
  auto r = test::sendhub("run --as-at 2026-01-15 --config " +
                         config(dir, R"([{"name": "lists", "connector": "inspection_lists", "out": "lists"}])"));
  EXPECT_EQ(r.code, 3) << r.output;
  EXPECT_NE(r.output.find("withheld"), std::string::npos) << r.output;
  EXPECT_TRUE(std::filesystem::exists(dir / "lists/inspection_readiness.html"));
  EXPECT_FALSE(std::filesystem::exists(dir / "lists/list1_ehc_plans.xlsx"));
  EXPECT_FALSE(std::filesystem::exists(dir / "lists/list1_ehc_plans.csv"));
  for (const auto& e : std::filesystem::directory_iterator(dir / "lists"))
    EXPECT_EQ(e.path().filename().string().find(".sendhub-list"), std::string::npos) << "no temporary workbook left behind";
}

// Written only when asked for: `sendhub export inspection`, as `export sen2` writes the return.
TEST(InspectionLists, TheExportCommandWritesThemOnDemand) {
  test::TempDir dir;
  const std::string cfg = config(dir, "[]");
  auto r = test::sendhub("run --as-at 2026-01-15 --config " + cfg);
  ASSERT_LE(r.code, 1) << r.output;
  EXPECT_FALSE(std::filesystem::exists(dir / "lists")) << "a run without the sink writes no list";
  r = test::sendhub("export inspection --as-at 2026-01-15 --out " + (dir / "lists") + " --config " + cfg);
  EXPECT_EQ(r.code, 3) << "errors withhold the lists: " << r.output;
  EXPECT_TRUE(std::filesystem::exists(dir / "lists/inspection_readiness.csv"));
  EXPECT_FALSE(std::filesystem::exists(dir / "lists/list1_ehc_plans.csv"));
  r = test::sendhub("export inspection --as-at 2026-01-15 --force --out " + (dir / "lists") + " --config " + cfg);
  ASSERT_EQ(r.code, 0) << r.output;
  EXPECT_EQ(csv(test::read_file(dir / "lists/list1_ehc_plans.csv")).size(), 9u) << "the headings and eight children";
}

}  // namespace
}  // namespace sendhub
