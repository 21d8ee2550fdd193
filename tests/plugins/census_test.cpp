// Issue 29.1-3: the school census as a source (the pupil kind), on a council whose every census
// row is known by hand: the census's children linked to the casework's by UPN, List 1's census
// columns, List 2 (SEN support) with exactly the right children and values, Data to Insight's
// rules on List 2, and SEN support beside SEN2 in the KPIs (and by how much the two disagree).
#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <map>
#include <set>
#include <sstream>

#include "clinic_fixture.h"
#include "reference.h"
#include "xlsx_reader.h"

namespace sendhub {
namespace {

const char* kPeople = "ref,surname,dob,sex,eth,upn,disab\n"
                      "C1,Abbot,2015-03-03,M,WBRI,H351710213759,Y\n"
                      "C2,Barlow,2011-02-02,F,WIRI,A351493721029,N\n";
const char* kCases = "case,person,received,decided,outcome,plan_start\n"
                     "Q1,C1,2019-11-01,2019-12-01,Y,2020-05-01\n"
                     "Q2,C2,2019-11-01,2019-12-01,Y,2020-05-01\n";
const char* kCensusNeeds = "case,seq,need,rank\nQ1,1,ASD,1\nQ2,1,SEMH,1\n";
const char* kCensusPlacements = "case,seq,urn,rank,entry\nQ1,1,100001,1,2020-09-01\n";
// One file, three census dates (the person of each pupil given once). C2 is dual registered
// and recorded as K though her plan is active; S2 is taught a year below his age (computed 6);
// S3's only census is a year old; S4 is E with no plan in the casework; S5 lacks sex and need.
const char* kCensus =
    "UPN,Surname,Forename,DOB,Gender,Ethnicity,Postcode,CensusDate,URN,Phase,Enrol,NCY,SEN,Need1,FSM,PP,Poss,Miss,Susp,Excl\n"
    "H351710213759,Abbot,Al,2015-03-03,M,WBRI,B1 1AA,2025-10-02,100001,PS,C,5,E,ASD,N,N,160,8,1,0\n"
    "H351710213759,Abbot,Al,2015-03-03,M,WBRI,B1 1AA,2026-01-15,100001,PS,C,5,E,ASD,Y,Y,150,15,2,0\n"
    "A351493721029,Barlow,Bo,2011-02-02,F,WIRI,B1 1AA,2026-01-15,100002,SS,M,9,K,SEMH,N,N,100,5,0,0\n"
    "A351493721029,Barlow,Bo,2011-02-02,F,WIRI,B1 1AA,2026-01-15,100003,AP,S,9,K,SEMH,N,N,40,5,0,1\n"
    "X351528614309,Sefton,Sam,2017-05-05,F,WBRI,DY1 1AA,2026-01-15,100010,PS,C,3,K,ASD,N,N,,,,\n"
    "N351507319193,Brook,Ben,2014-10-10,M,ABAN,DY1 1AA,2026-01-15,100010,PS,C,5,K,SLCN,Y,Y,120,12,0,0\n"
    "C351485921433,Oakes,Ola,2016-01-01,F,WBRI,DY1 1AA,2025-01-16,100011,PS,C,3,K,MLD,N,N,100,1,0,0\n"
    "P351735224518,Fenwick,Fay,2012-04-04,F,WBRI,DY1 1AA,2026-01-15,100012,SS,C,8,E,PD,N,N,100,2,0,0\n"
    "V351242410115,Eaton,Eli,2016-06-06,,WBRI,DY1 1AA,2026-01-15,100010,PS,C,4,K,NSA,N,Y,100,3,0,0\n";

std::string config(const test::TempDir& dir, const std::string& sinks) {
  using test::profile;
  test::write_file(dir / "in/people.csv", kPeople);
  test::write_file(dir / "in/cases.csv", kCases);
  test::write_file(dir / "in/needs.csv", kCensusNeeds);
  test::write_file(dir / "in/placements.csv", kCensusPlacements);
  test::write_file(dir / "in/census.csv", kCensus);
  test::write_file(dir / "p/people.json", profile("person", R"("person_ref": "ref", "surname": "surname", "birth_date": "dob",
                                                  "sex": "sex", "ethnicity": "eth", "upn": "upn")", R"("disability": "disab")"));
  test::write_file(dir / "p/cases.json",
                   profile("request", R"("request_ref": "case", "person_ref": "person", "received_date": "received",
                           "request_outcome_date": "decided", "request_outcome": "outcome", "assessment_outcome": "outcome",
                           "assessment_outcome_date": "plan_start", "start_date": "plan_start")"));
  test::write_file(dir / "p/needs.json", profile("need", R"("request_ref": "case", "seq": "seq", "sen_type": "need", "sen_type_rank": "rank")"));
  test::write_file(dir / "p/placements.json", profile("placement", R"("request_ref": "case", "seq": "seq", "urn": "urn",
                                                      "placement_rank": "rank", "entry_date": "entry")"));
  test::write_file(dir / "p/census.json",
                   profile("pupil", R"("person_ref": "UPN", "upn": "UPN", "surname": "Surname", "forename": "Forename",
                           "birth_date": "DOB", "sex": "Gender", "ethnicity": "Ethnicity", "postcode": "Postcode",
                           "census_date": "CensusDate", "urn": "URN", "phase": "Phase", "enrolment_status": "Enrol",
                           "nc_year": "NCY", "sen_provision": "SEN", "sen_need_1": "Need1", "fsm": "FSM", "pupil_premium": "PP",
                           "sessions_possible": "Poss", "sessions_missed": "Miss", "suspensions": "Susp",
                           "permanent_exclusions": "Excl")"));
  std::string sources;
  for (const char* n : {"people", "cases", "needs", "placements", "census"})
    sources += std::string(sources.empty() ? "" : ",") + R"({"name": ")" + n + R"(", "connector": "cms_csv", "path": "in/)" + n +
               R"(.csv", "profile": "p/)" + n + R"(.json"})";
  return test::write_config(dir, "[" + sources + "]", sinks,
                            R"("link": {"person_sources": {"cases": "people"}, "request_sources": {"needs": "cases", "placements": "cases"}},)");
}

std::vector<std::vector<std::string>> csv(const std::string& text) {
  std::vector<std::vector<std::string>> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(kpi::split(line));
  return out;
}

// person_key -> the UPN (census) or reference (casework) it was linked from.
std::map<std::string, std::string> who(const test::TempDir& dir) {
  std::map<std::string, std::string> out;
  auto links = test::run("sqlite3 " + (dir / "store/sendhub.db") +
                         " \"SELECT person_key, person_ref FROM person_link WHERE source = 'census'\"");
  std::istringstream ls(links.output);
  for (std::string line; std::getline(ls, line);) out[line.substr(0, line.find('|'))] = line.substr(line.find('|') + 1);
  return out;
}

using Table = std::map<std::string, std::map<std::string, std::string>>;

Table table(const std::string& file, const std::map<std::string, std::string>& upn_of) {
  const auto rows = csv(test::read_file(file));
  Table t;
  for (std::size_t i = 1; i < rows.size(); ++i)
    for (std::size_t c = 0; c < rows[0].size(); ++c) t[upn_of.at(rows[i][0])][rows[0][c]] = c < rows[i].size() ? rows[i][c] : "";
  return t;
}

TEST(SchoolCensus, ReadsPupilsAsPersonsOfTheirOwnAndLinksThemByUpn) {
  test::TempDir dir;
  auto r = test::sendhub("run --as-at 2026-01-15 --config " + config(dir, "[]"));
  ASSERT_LE(r.code, 1) << r.output;
  auto q = [&](const std::string& sql) { return test::run("sqlite3 " + (dir / "store/sendhub.db") + " \"" + sql + "\"").output; };
  EXPECT_EQ(q("SELECT COUNT(*) FROM pupil"), "9\n") << "every census row, none quarantined";
  EXPECT_EQ(q("SELECT COUNT(*) FROM person WHERE source = 'census'"), "7\n") << "one person per pupil, though C1 is in two censuses";
  EXPECT_EQ(q("SELECT COUNT(*) FROM quarantine"), "0\n");
  // C1 and C2 of the casework and of the census are one person each.
  EXPECT_EQ(q("SELECT COUNT(DISTINCT person_key) FROM person_link WHERE person_ref IN ('C1', 'H351710213759')"), "1\n");
  EXPECT_EQ(q("SELECT COUNT(DISTINCT person_key) FROM person_link"), "7\n");
  // The pupil rows hang from their person's group.
  EXPECT_EQ(q("SELECT COUNT(*) FROM dataset_member m JOIN person_link l ON l.person_key = m.grp WHERE m.kind = 10 "
              "AND l.person_ref = 'C1'"), "1\n");
}

TEST(SchoolCensus, ABadCensusRowIsQuarantinedWithItsRuleAndTheOthersKept) {
  test::TempDir dir;
  const std::string cfg = config(dir, "[]");
  test::write_file(dir / "in/census.csv", std::string(kCensus) +
                                              "M351436108341,Zed,Zo,2016-06-06,M,WBRI,DY1 1AA,2026-01-15,100010,PS,Q,4,K,ASD,N,N,1,1,0,0\n");
  auto r = test::sendhub("run --as-at 2026-01-15 --config " + cfg);
  ASSERT_LE(r.code, 1) << r.output;
  const std::string quarantined = test::run("sqlite3 " + (dir / "store/sendhub.db") + " \"SELECT rule, field FROM quarantine\"").output;
  EXPECT_EQ(quarantined, "record.code|enrolment_status\n");
  EXPECT_EQ(test::run("sqlite3 " + (dir / "store/sendhub.db") + " \"SELECT COUNT(*) FROM pupil\"").output, "9\n");
}

TEST(SchoolCensus, List2HoldsExactlyTheChildrenOnSenSupportAndList1TheCensusColumns) {
  test::TempDir dir;
  auto r = test::sendhub("run --as-at 2026-01-15 --config " +
                         config(dir, R"([{"name": "lists", "connector": "inspection_lists", "out": "lists", "force": true}])"));
  ASSERT_LE(r.code, 1) << r.output;
  const auto upn_of = who(dir);
  const Table list1 = table(dir / "lists/list1_ehc_plans.csv", upn_of);
  ASSERT_EQ(list1.size(), 2u) << "C1 and C2: S4's census E is no plan of the council's casework";
  const auto& c1 = list1.at("H351710213759");
  const std::map<std::string, std::string> want1 = {
      {"Main education establishment \u2013 URN", "100001"}, {"Main education establishment \u2013 phase", "PS"},
      {"Subsidiary education establishment \u2013 phase (dual registration)", ""}, {"Suspensions", "3"},
      {"Permanent exclusions", "0"}, {"Absence", "7.4"}, {"Pupil Premium", "Yes"}, {"Elective home education", "No"}};
  for (const auto& [heading, value] : want1) EXPECT_EQ(c1.at(heading), value) << heading;
  const auto& c2 = list1.at("A351493721029");
  EXPECT_EQ(c2.at("Main education establishment \u2013 URN"), "100002") << "no placement in the casework: the census's main school";
  EXPECT_EQ(c2.at("Main education establishment \u2013 phase"), "SS");
  EXPECT_EQ(c2.at("Subsidiary education establishment \u2013 phase (dual registration)"), "AP");
  EXPECT_EQ(c2.at("Permanent exclusions"), "1") << "counted at either school";
  EXPECT_EQ(c2.at("Absence"), "7.1") << "10 of 140 sessions";

  const auto rows = csv(test::read_file(dir / "lists/list2_sen_support.csv"));
  ASSERT_FALSE(rows.empty());
  EXPECT_EQ(rows[0].size(), 17u);
  EXPECT_EQ(rows[0][6], "SEN primary need");
  const auto sheet = plugin_support::read_sheet(dir / "lists/list2_sen_support.xlsx", "");
  ASSERT_EQ(sheet.size(), rows.size()) << "the workbook holds the same rows";
  for (std::size_t i = 0; i < sheet.size(); ++i)
    for (std::size_t c = 0; c < rows[0].size(); ++c)
      EXPECT_EQ(c < sheet[i].cells.size() ? sheet[i].cells[c] : "", c < rows[i].size() ? rows[i][c] : "") << i << "," << c;
  const Table list2 = table(dir / "lists/list2_sen_support.csv", upn_of);
  std::set<std::string> on;
  for (const auto& [upn, row] : list2) on.insert(upn);
  EXPECT_EQ(on, (std::set<std::string>{"X351528614309", "N351507319193", "V351242410115"}))
      << "SEN support at the latest census: not C2 (on List 1), not S3 (a year-old census), not S4 (E)";
  const std::map<std::string, std::string> s2 = {
      {"UPN", "N351507319193"}, {"Date of birth", "10/10/2014"}, {"Gender", "M"}, {"Ethnicity", "ABAN"},
      {"SEN primary need", "f"}, {"Main education establishment \u2013 URN", "100010"},
      {"Main education establishment \u2013 phase", "PS"}, {"Suspensions", "0"}, {"Absence", "10.0"},
      {"Pupil Premium", "Yes"}, {"Known to children's social care?", ""}};
  for (const auto& [heading, value] : s2) EXPECT_EQ(list2.at("N351507319193").at(heading), value) << heading;
  EXPECT_EQ(list2.at("X351528614309").at("Absence"), "") << "no sessions recorded: unknown, not zero";
  EXPECT_EQ(list2.at("V351242410115").at("SEN primary need"), "") << "NSA has no inspection letter";

  std::set<std::string> errors;
  const auto issues = csv(test::read_file(dir / "lists/inspection_readiness.csv"));
  for (std::size_t i = 1; i < issues.size(); ++i)
    if (issues[i][4] == "error") errors.insert(upn_of.at(issues[i][1]) + " " + issues[i][3]);
  EXPECT_EQ(errors, (std::set<std::string>{"V351242410115 d2i.gender_missing", "V351242410115 d2i.need_missing"}));
}

// Without the one defective pupil, both lists pass Data to Insight's rules: written with no force.
TEST(SchoolCensus, ACleanCouncilsListsPassEveryRuleAndAreWrittenWithoutForce) {
  test::TempDir dir;
  const std::string cfg = config(dir, R"([{"name": "lists", "connector": "inspection_lists", "out": "lists", "as_at": "2026-01-15"}])");
  std::string clean = kCensus;
  clean.erase(clean.find("V351242410115"));
  test::write_file(dir / "in/census.csv", clean);
  auto r = test::sendhub("run --as-at 2026-01-15 --config " + cfg);
  ASSERT_EQ(r.code, 0) << r.output;
  EXPECT_EQ(csv(test::read_file(dir / "lists/list1_ehc_plans.csv")).size(), 3u);
  EXPECT_EQ(csv(test::read_file(dir / "lists/list2_sen_support.csv")).size(), 3u) << "the headings, S1 and S2";
  for (const auto& issue : csv(test::read_file(dir / "lists/inspection_readiness.csv")))
    EXPECT_NE(issue[4], "error") << issue[3];
}

TEST(SchoolCensus, SenSupportAndTheCensusPlansBesideSen2AreExact) {
  test::TempDir dir;
  test::write_file(dir / "ons/onspd.csv", "pcds,doterm,lad25cd,wd25cd\nB1 1AA,,E08000025,E05011111\nDY1 1AA,,E08000027,E05001234\n");
  auto r = test::sendhub("run --as-at 2026-01-15 --config " +
                         config(dir, R"([{"name": "kpis", "connector": "kpi_extract", "as_at": "2026-01-15", "out": "out",
                                          "breakdowns": ["nc_year", "ward"], "postcode_directory": "ons/onspd.csv"}])"));
  ASSERT_LE(r.code, 1) << r.output;
  std::map<std::string, std::string> total, need, year, ward;
  const auto rows = csv(test::read_file(dir / "out/kpis.csv"));
  auto col = [&](const char* name) { return static_cast<std::size_t>(std::find(rows[0].begin(), rows[0].end(), name) - rows[0].begin()); };
  for (std::size_t i = 1; i < rows.size(); ++i) {
    const auto& f = rows[i];
    const std::string& by = f[col("breakdown")];
    if (by.empty()) total[f[col("measure")]] = f[col("numerator")];
    if (f[col("measure")] != "sen_support_census") continue;
    if (by == "primary_need") need[f[col("breakdown_value")]] = f[col("numerator")];
    if (by == "nc_year") year[f[col("breakdown_value")]] = f[col("numerator")];
    if (by == "ward") ward[f[col("breakdown_value")]] = f[col("numerator")];
  }
  EXPECT_EQ(total["active_plans"], "2");
  EXPECT_EQ(total["sen_support_census"], "4") << "S1, S2, S5 and C2 (as the census sees her)";
  EXPECT_EQ(total["ehc_plans_census"], "2") << "C1 and S4";
  EXPECT_EQ(total["census_ehc_without_active_plan"], "1") << "S4";
  EXPECT_EQ(total["active_plan_not_ehc_in_census"], "1") << "C2";
  EXPECT_EQ(need, (std::map<std::string, std::string>{{"ASD", "1"}, {"SLCN", "1"}, {"SEMH", "1"}, {"NSA", "1"}}));
  EXPECT_EQ(year["5"], "1") << "S2 as the census records him, not the 6 his birth date gives";
  EXPECT_EQ(year["6"], "0");
  EXPECT_EQ(year["3"], "1");
  EXPECT_EQ(year["4"], "1");
  EXPECT_EQ(year["9"], "1");
  EXPECT_EQ(ward, (std::map<std::string, std::string>{{"E05011111", "1"}, {"E05001234", "3"}}))
      << "C2 by the census's postcode (her casework has none); S1, S2, S5";
}

// A census arriving after the first run is linked incrementally (only what it touches): a new
// pupil, and a new census date for a pupil already known, reach the sinks exactly as they do
// when the store is linked afresh.
TEST(SchoolCensus, ANewCensusFollowsIntoTheDatasetAsALinkingAfreshWouldHaveIt) {
  const std::string sinks = R"([{"name": "pool", "connector": "pseudonymised_extract", "out": "pool"}])";
  const std::string later = "H351710213759,Abbot,Al,2015-03-03,M,WBRI,B1 1AA,2026-05-21,100001,PS,C,5,E,ASD,N,Y,120,3,0,0\n"
                            "E351553720989,New,Nia,2016-02-02,F,WBRI,DY1 1AA,2026-05-21,100010,PS,C,4,K,MLD,N,N,120,6,0,0\n";
  test::TempDir step, fresh;
  ASSERT_LE(test::sendhub("run --as-at 2026-06-01 --config " + config(step, sinks)).code, 1);
  test::write_file(step / "in/census_may.csv", std::string(kCensus).substr(0, std::string(kCensus).find('\n') + 1) + later);
  std::string cfg = test::read_file(step / "hub.json");
  cfg.replace(cfg.find("in/census.csv"), 13, "in/census*.csv");
  test::write_file(step / "hub.json", cfg);
  auto r = test::sendhub("run --as-at 2026-06-01 --config " + (step / "hub.json"));
  ASSERT_LE(r.code, 1) << r.output;
  EXPECT_NE(r.output.find("linking: only what"), std::string::npos) << "linked incrementally: " << r.output;
  config(fresh, sinks);
  test::write_file(fresh / "in/census_may.csv", test::read_file(step / "in/census_may.csv"));
  test::write_file(fresh / "hub.json", test::read_file(step / "hub.json"));
  ASSERT_LE(test::sendhub("run --as-at 2026-06-01 --config " + (fresh / "hub.json")).code, 1);
  for (const char* f : {"pool/pupil.csv", "pool/person.csv"})
    EXPECT_EQ(test::read_file(step / f), test::read_file(fresh / f)) << f;
  EXPECT_EQ(csv(test::read_file(step / "pool/pupil.csv")).size(), 12u) << "the heading and eleven census rows";
}

// Two censuses giving a pupil different details: the person is the latest census's, whatever the
// files are called (here the older one's name sorts last) and whichever of them is read again;
// and a rerun with nothing changed stores nothing, so linking and the sinks have nothing to redo
// (read one by one, the two files overwrote each other's person on every run).
TEST(SchoolCensus, APupilsPersonIsTheLatestCensussAndARerunChangesNothing) {
  test::TempDir dir;
  std::string cfg = test::read_file(config(dir, "[]"));
  cfg.replace(cfg.find("in/census.csv"), 13, "in/census_*.csv");
  test::write_file(dir / "hub.json", cfg);
  const std::string head = std::string(kCensus).substr(0, std::string(kCensus).find('\n') + 1);
  const std::string oct = head + "H351710213759,Abbot,Al,2015-03-03,M,WBRI,B1 1AA,2025-10-02,100001,PS,C,5,E,ASD,N,N,160,8,1,0\n";
  const std::string jan = head + "H351710213759,Abbot,Al,2015-03-03,M,WBRI,B2 2BB,2026-01-15,100001,PS,C,5,E,ASD,Y,Y,150,15,2,0\n";
  test::write_file(dir / "in/census_jan.csv", jan);
  test::write_file(dir / "in/census_oct.csv", oct);
  auto q = [&](const std::string& sql) { return test::run("sqlite3 " + (dir / "store/sendhub.db") + " \"" + sql + "\"").output; };
  const std::string person = "SELECT postcode, substr(file, -14) FROM person WHERE source = 'census'";
  const std::string run = "run --as-at 2026-01-15 --config " + (dir / "hub.json");
  auto r = test::sendhub(run);
  ASSERT_LE(r.code, 1) << r.output;
  EXPECT_EQ(q(person), "B2 2BB|census_jan.csv\n");
  EXPECT_EQ(q("SELECT COUNT(*) FROM pupil"), "2\n");

  r = test::sendhub(run);
  ASSERT_LE(r.code, 1) << r.output;
  EXPECT_NE(r.output.find("linking: nothing changed"), std::string::npos) << r.output;

  // The October file gains a bad row: the two are read again, the person stays January's.
  test::write_file(dir / "in/census_oct.csv",
                   oct + "M351436108341,Zed,Zo,2016-06-06,M,WBRI,DY1 1AA,2025-10-02,100010,PS,Q,4,K,ASD,N,N,1,1,0,0\n");
  r = test::sendhub(run);
  ASSERT_LE(r.code, 1) << r.output;
  EXPECT_EQ(q(person), "B2 2BB|census_jan.csv\n");
  EXPECT_EQ(q("SELECT COUNT(*) FROM quarantine"), "1\n");
  r = test::sendhub(run);   // read again (it holds a quarantined row), and still nothing changes
  ASSERT_LE(r.code, 1) << r.output;
  EXPECT_NE(r.output.find("linking: nothing changed"), std::string::npos) << r.output;

  // January's file is no longer delivered: its rows stay (as any file that disappears does),
  // but October's is the latest census read, and gives the person.
  std::filesystem::remove(dir / "in/census_jan.csv");
  r = test::sendhub(run);
  ASSERT_LE(r.code, 1) << r.output;
  EXPECT_EQ(q(person), "B1 1AA|census_oct.csv\n");
}

// The census date that orders the files is read from each file's head only (the census files
// are a national run's largest inputs); the head grows until a row maps. Here January's file,
// whose name sorts first, opens with 3,000 rows that cannot be dated (about 300 KB, each with a
// quoted line break) before its first good row: were it undated, October's would be read first
// and give the person. Each file's text is written through `encode`.
void expect_the_latest_census_past_undated_rows(const std::function<std::string(const std::string&)>& encode,
                                                const std::string& what) {
  test::TempDir dir;
  std::string cfg = test::read_file(config(dir, "[]"));
  cfg.replace(cfg.find("in/census.csv"), 13, "in/census_*.csv");
  test::write_file(dir / "hub.json", cfg);
  const std::string head = std::string(kCensus).substr(0, std::string(kCensus).find('\n') + 1);
  std::string jan = head;
  for (int i = 0; i < 3000; ++i)
    jan += "Z" + std::to_string(100000 + i) + ",\"Undated\nRow\",Zo,2016-06-06,M,WBRI,DY1 1AA,2026-02-30,100010,PS,C,4,K,ASD,N,N,1,1,0,0\n";
  jan += "H351710213759,Abbot,Al,2015-03-03,M,WBRI,B2 2BB,2026-01-15,100001,PS,C,5,E,ASD,Y,Y,150,15,2,0\n";
  ASSERT_GT(encode(jan).size(), 4u * 64 * 1024) << what << ": past two heads";
  test::write_file(dir / "in/census_a.csv", encode(jan));
  test::write_file(dir / "in/census_b.csv",
                   encode(head + "H351710213759,Abbot,Al,2015-03-03,M,WBRI,B1 1AA,2025-10-02,100001,PS,C,5,E,ASD,N,N,160,8,1,0\n"));
  auto r = test::sendhub("run --as-at 2026-01-15 --config " + (dir / "hub.json"));
  ASSERT_LE(r.code, 1) << what << ": " << r.output;
  auto q = [&](const std::string& sql) { return test::run("sqlite3 " + (dir / "store/sendhub.db") + " \"" + sql + "\"").output; };
  EXPECT_EQ(q("SELECT postcode, substr(file, -12) FROM person WHERE source = 'census'"), "B2 2BB|census_a.csv\n") << what;
  EXPECT_EQ(q("SELECT COUNT(*) FROM quarantine WHERE rule = 'csv.date'"), "3000\n") << what;
}

TEST(SchoolCensus, TheLatestCensusIsFoundPastAHeadOfRowsThatCannotBeDated) {
  expect_the_latest_census_past_undated_rows([](const std::string& text) { return text; }, "UTF-8");
}

// The same in UTF-16, little- and big-endian: the head is cut after a whole two-byte line break
// (until 0.12.31 a UTF-16 census was read whole here, then again to be loaded).
TEST(SchoolCensus, TheLatestCensusIsFoundInAHeadOfAUtf16File) {
  for (const bool le : {true, false})
    expect_the_latest_census_past_undated_rows([le](const std::string& text) { return test::utf16(text, le); },
                                               le ? "UTF-16LE" : "UTF-16BE");
}

// A pupil whose first census row is quarantined keeps the person as last stored, and the pupil's
// later rows are read (they are not duplicates of the refused row's person).
TEST(SchoolCensus, ALaterRowOfAPupilWhoseFirstRowIsBadIsKept) {
  test::TempDir dir;
  const std::string cfg = config(dir, "[]");
  const std::string head = std::string(kCensus).substr(0, std::string(kCensus).find('\n') + 1);
  test::write_file(dir / "in/census.csv",
                   head + "H351710213759,Abbot,Al,2015-03-03,M,WBRI,B2 2BB,2026-01-15,100001,PS,Q,5,E,ASD,Y,Y,150,15,2,0\n"
                          "H351710213759,Abbot,Al,2015-03-03,M,WBRI,B1 1AA,2025-10-02,100001,PS,C,5,E,ASD,N,N,160,8,1,0\n");
  auto r = test::sendhub("run --as-at 2026-01-15 --config " + cfg);
  ASSERT_LE(r.code, 1) << r.output;
  auto q = [&](const std::string& sql) { return test::run("sqlite3 " + (dir / "store/sendhub.db") + " \"" + sql + "\"").output; };
  EXPECT_EQ(q("SELECT rule, field FROM quarantine"), "record.code|enrolment_status\n") << "the bad row only";
  EXPECT_EQ(q("SELECT census_date FROM pupil"), "2025-10-02\n");
}

TEST(SchoolCensus, AHubWithNoCensusReportsNoCensusMeasures) {
  test::TempDir dir;
  const std::string cfg = config(dir, R"([{"name": "kpis", "connector": "kpi_extract", "as_at": "2026-01-15", "out": "out"}])");
  test::write_file(dir / "in/census.csv", "UPN,Surname,Forename,DOB,Gender,Ethnicity,Postcode,CensusDate,URN,Phase,Enrol,NCY,SEN,"
                                          "Need1,FSM,PP,Poss,Miss,Susp,Excl\n");
  auto r = test::sendhub("run --as-at 2026-01-15 --config " + cfg);
  ASSERT_LE(r.code, 1) << r.output;
  EXPECT_EQ(test::read_file(dir / "out/kpis.csv").find("census"), std::string::npos);
}

}  // namespace
}  // namespace sendhub
