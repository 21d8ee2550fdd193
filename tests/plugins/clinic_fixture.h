// clinic_fixture.h: a casework history whose statutory clocks are known by hand (issue 28),
// shared by the tracker's tests and the alerts' tests. As at 2026-01-15.
#pragma once

#include <string>

#include "test_support.h"

namespace sendhub::test {

inline const char* kPeople = "ref,surname,dob,postcode\nP1,Ashby,2014-03-02,B1 1AA\nP2,Brook,2012-01-01,b11ab\n"
                             "P3,Calder,2011-01-01,DY1 1AA\nP4,Dunmore,2010-01-01,DY1  1AB\nP5,Ellery,2016-07-07,DY2 2ZZ\n"
                             "P6,Fenwick,2018-08-08,B1 1AA\nP7,Garside,2015-05-05,DY1 1AA\nP8,Hartley,2013-04-04,\n";
// ref, person, received, decided, outcome, assessment outcome, its date, week20, draft, officer, team
inline const char* kRequests =
    "ref,person,received,decided,outcome,aoutcome,adate,week20,draft,officer,team\n"
    "C1,P1,2025-12-20,,,,,,,Officer A,North\n"               // day 26: decision due 2026-01-31, 16 left: on track
    "C2,P2,2025-12-10,,,,,,,Officer A,North\n"               // day 36: due 2026-01-21, 6 left: at risk
    "C3,P3,2025-11-01,,,,,,,Officer B,South\n"               // day 75: due 2025-12-13, 33 over: breached
    "C4,P4,2025-10-01,2025-11-05,Y,,,,,Officer B,South\n"    // assessing: draft due 2026-01-21 (day 112), 6 left
    "C5,P5,2025-08-01,2025-09-01,Y,Y,,1,,,\n"               // decided to issue, not issued: final due 2025-12-19, 27 over
    "C6,P6,2025-09-15,2025-10-20,Y,,,,2026-01-05,,\n"        // draft issued: final due 2026-02-02, 18 left
    "C7,P7,2025-06-01,2025-07-01,Y,Y,2025-10-01,0,,,\n"      // plan issued: not open; review due 2026-10-01
    "C8,P8,2024-03-01,2024-04-01,Y,Y,2024-08-01,0,,Officer C,East\n";   // plan of 2024-08-01: review overdue since 2025-08-01
inline const char* kAdvice = "ref,request,type,requested,provided,status\n"
                             "A1,C4,health,2025-11-10,2025-12-01,completed\n"
                             "A2,C4,educational_psychology,2025-11-10,,in_progress\n"   // due 2025-12-22: overdue
                             "A3,C6,social_care,2026-01-02,,requested\n";
inline const char* kPlans = "request,start\nC7,2025-10-01\nC8,2024-08-01\n";

inline const char* kKpiSink = R"([{"name": "kpis", "connector": "kpi_extract", "as_at": "2026-01-15", "out": "out"}])";

inline std::string profile(const char* record, const std::string& columns, const std::string& extras = "") {
  return std::string(R"({"record": ")") + record + R"(", "date_formats": ["%Y-%m-%d"], "columns": {)" + columns + "}" +
         (extras.empty() ? "" : R"(, "extras": {)" + extras + "}") + "}";
}

// The casework above with these sinks, in dir/hub.json; returns the configuration's path.
inline std::string casework_config(const TempDir& dir, const std::string& sinks) {
  write_file(dir / "in/people.csv", kPeople);
  write_file(dir / "in/requests.csv", kRequests);
  write_file(dir / "in/advice.csv", kAdvice);
  write_file(dir / "in/plans.csv", kPlans);
  write_file(dir / "p/people.json", profile("person", R"("person_ref": "ref", "surname": "surname", "birth_date": "dob", "postcode": "postcode")"));
  write_file(dir / "p/requests.json",
             profile("request", R"("request_ref": "ref", "person_ref": "person", "received_date": "received",
                     "request_outcome_date": "decided", "request_outcome": "outcome", "assessment_outcome": "aoutcome",
                     "assessment_outcome_date": "adate", "week20": "week20")",
                     R"("draft_date": "draft", "case_officer": "officer", "team": "team")"));
  write_file(dir / "p/advice.json", profile("advice", R"("advice_ref": "ref", "request_ref": "request", "advice_type": "type",
                                             "requested_date": "requested", "provided_date": "provided", "status": "status")"));
  write_file(dir / "p/plans.json", profile("plan", R"("request_ref": "request", "start_date": "start")"));
  std::string sources;
  for (const char* n : {"people", "requests", "advice", "plans"})
    sources += std::string(sources.empty() ? "" : ",") + R"({"name": ")" + n + R"(", "connector": "cms_csv", "path": "in/)" + n +
               R"(.csv", "profile": "p/)" + n + R"(.json"})";
  return write_config(dir, "[" + sources + "]", sinks, R"("link": {"person_sources": {"requests": "people"}},)");
}

// The casework loaded and the sinks run as at 2026-01-15.
inline void run_casework(const TempDir& dir, const std::string& sinks) {
  auto r = sendhub("run --as-at 2026-01-15 --config " + casework_config(dir, sinks));
  if (r.code > 1) throw std::runtime_error("the casework run failed: " + r.output);
}

}  // namespace sendhub::test
