// Issue 28.1: the statutory clock of every open request (clinic.md §1) in open_cases.csv, on a
// casework history whose clocks are known by hand, as at 2026-01-15.
#include <gtest/gtest.h>

#include <map>
#include <sstream>

#include "reference.h"
#include "test_support.h"

namespace sendhub {
namespace {

const char* kPeople = "ref,surname,dob\nP1,Ashby,2014-03-02\nP2,Brook,2012-01-01\nP3,Calder,2011-01-01\n"
                      "P4,Dunmore,2010-01-01\nP5,Ellery,2016-07-07\nP6,Fenwick,2018-08-08\nP7,Garside,2015-05-05\n";
// ref, person, received, decided, outcome, assessment outcome, its date, week20, draft, officer, team
const char* kRequests =
    "ref,person,received,decided,outcome,aoutcome,adate,week20,draft,officer,team\n"
    "C1,P1,2025-12-20,,,,,,,Officer A,North\n"               // day 26: decision due 2026-01-31, 16 left: on track
    "C2,P2,2025-12-10,,,,,,,Officer A,North\n"               // day 36: due 2026-01-21, 6 left: at risk
    "C3,P3,2025-11-01,,,,,,,Officer B,South\n"               // day 75: due 2025-12-13, 33 over: breached
    "C4,P4,2025-10-01,2025-11-05,Y,,,,,Officer B,South\n"    // assessing: draft due 2026-01-21 (day 112), 6 left
    "C5,P5,2025-08-01,2025-09-01,Y,Y,,1,,,\n"               // decided to issue, not issued: final due 2025-12-19, 27 over
    "C6,P6,2025-09-15,2025-10-20,Y,,,,2026-01-05,,\n"        // draft issued: final due 2026-02-02, 18 left
    "C7,P7,2025-06-01,2025-07-01,Y,Y,2025-10-01,0,,,\n";     // plan issued: not open
const char* kAdvice = "ref,request,type,requested,provided,status\n"
                      "A1,C4,health,2025-11-10,2025-12-01,completed\n"
                      "A2,C4,educational_psychology,2025-11-10,,in_progress\n"
                      "A3,C6,social_care,2026-01-02,,requested\n";

std::string profile(const char* record, const std::string& columns, const std::string& extras = "") {
  return std::string(R"({"record": ")") + record + R"(", "date_formats": ["%Y-%m-%d"], "columns": {)" + columns + "}" +
         (extras.empty() ? "" : R"(, "extras": {)" + extras + "}") + "}";
}

TEST(ClinicClock, EveryOpenRequestHasItsStageNextStepDueDateAndState) {
  test::TempDir dir;
  test::write_file(dir / "in/people.csv", kPeople);
  test::write_file(dir / "in/requests.csv", kRequests);
  test::write_file(dir / "in/advice.csv", kAdvice);
  test::write_file(dir / "p/people.json", profile("person", R"("person_ref": "ref", "surname": "surname", "birth_date": "dob")"));
  test::write_file(dir / "p/requests.json",
                   profile("request", R"("request_ref": "ref", "person_ref": "person", "received_date": "received",
                           "request_outcome_date": "decided", "request_outcome": "outcome", "assessment_outcome": "aoutcome",
                           "assessment_outcome_date": "adate", "week20": "week20")",
                           R"("draft_date": "draft", "case_officer": "officer", "team": "team")"));
  test::write_file(dir / "p/advice.json", profile("advice", R"("advice_ref": "ref", "request_ref": "request", "advice_type": "type",
                                                   "requested_date": "requested", "provided_date": "provided", "status": "status")"));
  std::string sources;
  for (const char* n : {"people", "requests", "advice"})
    sources += std::string(sources.empty() ? "" : ",") + R"({"name": ")" + n + R"(", "connector": "cms_csv", "path": "in/)" + n +
               R"(.csv", "profile": "p/)" + n + R"(.json"})";
  auto cfg = test::write_config(dir, "[" + sources + "]",
                                R"([{"name": "kpis", "connector": "kpi_extract", "as_at": "2026-01-15", "out": "out"}])",
                                R"("link": {"person_sources": {"requests": "people"}},)");
  auto r = test::sendhub("run --as-at 2026-01-15 --config " + cfg);
  ASSERT_LE(r.code, 1) << r.output;
  std::istringstream csv(test::read_file(dir / "out/open_cases.csv"));
  std::string line;
  std::getline(csv, line);
  const auto head = kpi::split(line);
  std::map<std::string, std::map<std::string, std::string>> rows;
  while (std::getline(csv, line)) {
    const auto f = kpi::split(line);
    for (std::size_t i = 0; i < head.size(); ++i) rows[f[0]][head[i]] = i < f.size() ? f[i] : "";
  }
  EXPECT_EQ(rows.count("C7"), 0u) << "a plan issued is no open request";
  struct Want { const char* ref; const char* stage; const char* step; const char* due; const char* left; const char* state; };
  const Want want[] = {
      {"C1", "awaiting_decision", "decision_to_assess", "2026-01-31", "16", "on_track"},
      {"C2", "awaiting_decision", "decision_to_assess", "2026-01-21", "6", "at_risk"},
      {"C3", "awaiting_decision", "decision_to_assess", "2025-12-13", "-33", "breached"},
      {"C4", "assessing", "draft_or_notice_not_to_issue", "2026-01-21", "6", "at_risk"},
      {"C5", "awaiting_final", "final_plan", "2025-12-19", "-27", "breached"},
      {"C6", "draft_issued", "final_plan", "2026-02-02", "18", "on_track"},
  };
  for (const auto& w : want) {
    ASSERT_TRUE(rows.count(w.ref)) << w.ref;
    auto& row = rows[w.ref];
    EXPECT_EQ(row["clinic_stage"], w.stage) << w.ref;
    EXPECT_EQ(row["next_step"], w.step) << w.ref;
    EXPECT_EQ(row["next_due"], w.due) << w.ref;
    EXPECT_EQ(row["days_left"], w.left) << w.ref;
    EXPECT_EQ(row["state"], w.state) << w.ref;
  }
  EXPECT_EQ(rows["C5"]["week20_exception"], "1");
  EXPECT_EQ(rows["C4"]["week20_exception"], "0");
  EXPECT_EQ(rows["C4"]["advice"], "health:2025-12-22:arrived;educational_psychology:2025-12-22:overdue");
  EXPECT_EQ(rows["C6"]["advice"], "social_care:2026-02-13:outstanding");
  EXPECT_EQ(rows["C1"]["case_officer"], "Officer A");
  EXPECT_EQ(rows["C3"]["team"], "South");
  EXPECT_EQ(rows["C4"]["stage"], "assessing") << "the existing columns keep their meaning";
  const std::string all = test::read_file(dir / "out/open_cases.csv");
  EXPECT_EQ(all.find("Ashby"), std::string::npos) << "no names";
  EXPECT_EQ(all.find("2014-03-02"), std::string::npos) << "no birth dates";
}

}  // namespace
}  // namespace sendhub
