// Every measure against a hand-computed expectation, on a small council built from CSV:
// exactly 42 and 140 days, a leap day, missing dates (excluded), outcome H left out of
// flows, a plan ceasing on the as-at date.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <map>
#include <sstream>

#include "reference.h"
#include "test_support.h"

namespace sendhub {
namespace {

using test::TempDir;

// people, requests (with their assessment and plan), needs, reviews, placements, advice
const char* kPeople = "ref,surname,forename,dob,sex,upn\n"
                      "P1,Ashby,Kit,2014-03-02,F,D351200012345\nP2,Brook,Bea,2010-06-01,M,\nP3,Calder,Cal,2012-01-01,F,\n"
                      "P4,Dunmore,Dee,2001-05-05,M,\nP5,Ellery,Eli,2016-07-07,F,\nP6,Fenwick,Fern,2018-08-08,M,\n"
                      "P7,Garside,Gus,2005-09-09,F,\nP8,Holloway,Hana,2015-10-10,M,\nP9,Ingram,Ivo,2013-11-11,F,\n";

const char* kRequests =
    "ref,person,received,decided,outcome,med,trib,aoutcome,adate,week20,amed,omed,start,cease,reason,src\n"
    "R1,P1,2025-01-01,2025-02-12,Y,0,0,Y,2025-05-21,0,0,0,2025-05-21,,,1\n"        // exactly 42 and 140 days
    "R2,P2,2025-01-01,2025-02-13,Y,0,0,Y,2025-05-22,1,1,1,2025-05-22,,,2\n"        // 43 and 141 days; an exception
    "R3,P3,2024-12-01,2025-01-05,N,1,1,,,,,,,,,\n"                               // refused in the period, appealed
    "R4,P4,,,H,,,H,,,,,2019-06-01,,,\n"                                          // historical: no flows
    "R5,P5,2025-03-01,2025-04-01,Y,0,0,A,,,,,,,,1\n"                             // open, assessing, > 30 weeks
    "R6,P6,2025-11-20,,A,,,,,,,,,,,\n"                                           // open, awaiting a decision
    "R7,P7,2023-01-10,2023-02-01,Y,0,0,Y,2023-05-01,0,0,0,2023-05-01,2025-12-31,4,\n"  // ceases on the as-at date
    "R8,P8,,2025-06-01,Y,0,0,Y,2025-09-01,,0,0,2025-09-01,,,\n"                 // no received date: excluded
    "R9,P9,2023-10-01,2023-11-01,Y,0,0,Y,2024-02-29,0,0,0,2024-02-29,,,\n";     // a leap-day plan

const char* kNeeds = "request,type,rank\nR1,ASD,1\nR2,SLCN,1\nR9,ASD,1\n";
const char* kReviews = "request,meeting,decision\nR9,2025-02-01,2025-03-01\n";
const char* kPlacements = "request,urn,setting,rank,entry\nR1,100037,,1,2025-05-21\nR2,,NIEO,1,2025-05-22\nR9,100074,,1,2024-02-29\n";
const char* kAdvice = "ref,request,type,requested,provided,status,exception\n"
                      "A1,R1,health,2025-03-01,2025-04-12,completed,\n"
                      "A2,R1,educational_psychology,2025-03-01,2025-04-13,completed,absent_4_weeks\n"
                      "A3,R5,health,2025-04-05,,in_progress,\n";

std::string profile(const char* record, const std::string& columns) {
  return std::string(R"({"record": ")") + record + R"(", "date_formats": ["%Y-%m-%d"], "columns": {)" + columns + "}}";
}

class Kpis : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::map<std::string, std::pair<std::string, std::string>> files = {
        {"people", {kPeople, profile("person", R"("person_ref": "ref", "surname": "surname", "forename": "forename", "birth_date": "dob", "sex": "sex", "upn": "upn")")}},
        {"requests", {kRequests, profile("request", R"("request_ref": "ref", "person_ref": "person", "received_date": "received",
          "request_outcome_date": "decided", "request_outcome": "outcome", "request_mediation": "med", "request_tribunal": "trib",
          "assessment_outcome": "aoutcome", "assessment_outcome_date": "adate", "week20": "week20", "assessment_mediation": "amed",
          "other_mediation": "omed", "start_date": "start", "cease_date": "cease", "cease_reason": "reason", "request_source": "src")")}},
        {"needs", {kNeeds, profile("need", R"("request_ref": "request", "sen_type": "type", "sen_type_rank": "rank")")}},
        {"reviews", {kReviews, profile("review", R"("request_ref": "request", "review_meeting": "meeting", "last_review": "decision")")}},
        {"placements", {kPlacements, profile("placement", R"("request_ref": "request", "urn": "urn", "sen_setting": "setting", "placement_rank": "rank", "entry_date": "entry")")}},
        {"advice", {kAdvice, profile("advice", R"("advice_ref": "ref", "request_ref": "request", "advice_type": "type", "requested_date": "requested", "provided_date": "provided", "status": "status", "exception": "exception")")}},
    };
    std::string sources;
    for (const auto& [name, data] : files) {
      test::write_file(dir_ / ("in/" + name + ".csv"), data.first);
      test::write_file(dir_ / ("profiles/" + name + ".json"), data.second);
      sources += std::string(sources.empty() ? "" : ",") + R"({"name": ")" + name + R"(", "connector": "cms_csv", "path": "in/)" +
                 name + R"(.csv", "profile": "profiles/)" + name + R"(.json"})";
    }
    test::write_file(dir_ / "population.csv", "age,population\n0,1000\n10,1000\n25,2000\n26,99999\n");
    cfg_ = test::write_config(dir_, "[" + sources + "]",
                                  R"([{"name": "kpis", "connector": "kpi_extract", "year": 2025, "out": "out",
                                       "population_file": "population.csv"}])",
                                  R"("link": {"person_sources": {"requests": "people"}},)");
    auto r = test::sendhub("run --config " + cfg_);
    ASSERT_EQ(r.code, 0) << r.output;
    std::istringstream csv(test::read_file(dir_ / "out/kpis.csv"));
    std::string line;
    std::getline(csv, line);
    header_ = line;
    while (std::getline(csv, line)) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      std::vector<std::string> f;
      std::stringstream ss(line);
      for (std::string cell; std::getline(ss, cell, ',');) f.push_back(cell);
      if (line.back() == ',') f.emplace_back();
      rows_[f[0] + "|" + f[4] + "|" + f[5]] = f[6] + "/" + f[7] + "=" + f[8];
    }
  }
  // "numerator/denominator=value" of a row; "" when there is none.
  std::string at(const std::string& measure, const std::string& breakdown = "", const std::string& value = "") {
    auto it = rows_.find(measure + "|" + breakdown + "|" + value);
    return it == rows_.end() ? "" : it->second;
  }
  TempDir dir_;
  std::string cfg_;
  std::string header_;
  std::map<std::string, std::string> rows_;
};

TEST_F(Kpis, TheExtractHasTheContractHeader) {
  EXPECT_EQ(header_, "measure,period_start,period_end,as_at,breakdown,breakdown_value,numerator,denominator,value\r");
  auto json = test::read_file(dir_ / "out/kpis.json");
  EXPECT_NE(json.find(R"({"measure":"requests_received","period_start":"2025-01-01","period_end":"2025-12-31","as_at":"2025-12-31")"), std::string::npos);
}

TEST_F(Kpis, FlowMeasuresMatchTheHandCount) {
  EXPECT_EQ(at("requests_received"), "4/=4");                       // R1 R2 R5 R6
  EXPECT_EQ(at("requests_received_growth_pct"), "3/1=300.0");       // 2024: R3 only
  EXPECT_EQ(at("requests_received", "request_source", "UNKNOWN"), "1/=1");  // R6
  EXPECT_EQ(at("requests_from_parents_pct"), "2/3=66.7");          // R1 R5 of R1 R2 R5
  EXPECT_EQ(at("request_decisions_within_6_weeks_pct"), "3/4=75.0"); // R1 (42 days) R3 R5 in, R2 (43) out
  EXPECT_EQ(at("request_decisions_within_6_weeks_pct", "request_outcome", "Y"), "2/3=66.7");
  EXPECT_EQ(at("request_decisions_within_6_weeks_pct", "request_outcome", "N"), "1/1=100.0");
  EXPECT_EQ(at("excluded_request_decisions_within_6_weeks_pct"), "1/=1");  // R8: no received date
  EXPECT_EQ(at("requests_refused"), "1/=1");
  EXPECT_EQ(at("plans_issued"), "3/=3");                            // R1 R2 R8
  EXPECT_EQ(at("plans_issued", "primary_need", "UNKNOWN"), "1/=1");
  EXPECT_EQ(at("plans_within_20_weeks_incl_exceptions_pct"), "1/2=50.0");  // R1 (140 days) in, R2 (141) out
  EXPECT_EQ(at("excluded_plans_within_20_weeks_incl_exceptions_pct"), "1/=1");
  EXPECT_EQ(at("plans_within_20_weeks_excl_exceptions_pct"), "1/1=100.0");  // R2 has an exception
  EXPECT_EQ(at("plans_issued_over_52_weeks"), "0/=0");
  EXPECT_EQ(at("decisions_not_to_issue_within_16_weeks_pct"), "0/0=");     // no denominator: empty value
  EXPECT_EQ(at("advice_within_6_weeks_pct"), "1/2=50.0");
  EXPECT_EQ(at("advice_within_6_weeks_pct", "advice_type", "educational_psychology"), "0/1=0.0");
  EXPECT_EQ(at("advice_within_6_weeks_excl_exceptions_pct"), "1/1=100.0");
  EXPECT_EQ(at("annual_review_decisions_within_4_weeks_pct"), "1/1=100.0");  // exactly 28 days
  EXPECT_EQ(at("plans_ceased"), "1/=1");
  EXPECT_EQ(at("plans_ceased", "cease_reason", "4"), "1/=1");
  EXPECT_EQ(at("mediations"), "2/=2");                              // R3 at request, R2's assessment once
  EXPECT_EQ(at("mediations", "stage", "other"), "1/=1");
  EXPECT_EQ(at("tribunals"), "1/=1");                               // R3's appeal against the refusal
  EXPECT_EQ(at("tribunals", "stage", "request"), "1/=1");
}

TEST_F(Kpis, StockMeasuresMatchTheHandCount) {
  EXPECT_EQ(at("active_plans"), "5/=5");             // R1 R2 R4(H) R8 R9; R7 ceased on the as-at date
  EXPECT_EQ(at("active_plans", "primary_need", "ASD"), "2/=2");
  EXPECT_EQ(at("active_plans", "primary_need", "UNKNOWN"), "2/=2");
  EXPECT_EQ(at("active_plans", "age_band", "20-25"), "1/=1");  // P4, 24
  EXPECT_EQ(at("open_requests"), "2/=2");
  EXPECT_EQ(at("open_requests", "stage", "awaiting_decision"), "1/=1");
  EXPECT_EQ(at("open_over_30_weeks"), "1/=1");       // R5: 305 days
  EXPECT_EQ(at("annual_reviews_overdue"), "1/=1");   // R4; R9's 2025 review keeps it in date
  EXPECT_EQ(at("awaiting_placement"), "3/=3");       // R2 (NIEO), R4 and R8 (no placement)
  EXPECT_EQ(at("advice_overdue"), "1/=1");
  EXPECT_EQ(at("ehcp_prevalence_per_10k"), "5/4000=12.5");  // ages 0-25 only
}

TEST_F(Kpis, TrackerForecastAndScorecardAreWritten) {
  auto tracker = test::read_file(dir_ / "out/open_cases.csv");
  EXPECT_EQ(tracker.rfind("request_ref,person_key,stage,received_date,weeks_elapsed,decision_due,final_plan_due,advice_requested,"
                          "advice_outstanding,advice_overdue,breach_6_weeks,breach_20_weeks,breach_expected,clinic_stage,next_step,"
                          "next_due,days_left,state,week20_exception,advice,case_officer,team\r\n", 0), 0u);
  EXPECT_NE(tracker.find("\r\nR5,"), std::string::npos);
  EXPECT_LT(tracker.find("\r\nR5,"), tracker.find("\r\nR6,")) << "longest wait first";
  EXPECT_NE(tracker.find(",assessing,2025-03-01,43,2025-04-12,2025-07-19,1,1,1,0,1,0"), std::string::npos) << tracker;
  EXPECT_EQ(tracker.find("Ellery"), std::string::npos) << "no names";
  auto due = test::read_file(dir_ / "out/reviews_due.csv");
  EXPECT_NE(due.find("R4,"), std::string::npos);
  auto forecast = test::read_file(dir_ / "out/forecast.csv");
  EXPECT_NE(forecast.find("2026-01-15,,"), std::string::npos) << forecast;
  auto page = test::read_file(dir_ / "out/scorecard.html");
  EXPECT_NE(page.find("id=\"kpi-active_plans\">5<"), std::string::npos);
  EXPECT_NE(page.find("<svg"), std::string::npos);
  EXPECT_EQ(page.find("http"), std::string::npos) << "no network needed";
  struct stat st {};
  ASSERT_EQ(::stat((dir_ / "out/scorecard.html").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600);
}

TEST_F(Kpis, TheKpisCommandTakesAnyPeriod) {
  auto r = test::sendhub("kpis --from 2025-01-01 --to 2025-06-30 --as-at 2025-06-30 --config " + (dir_ / "hub.json") +
                         " --out " + (dir_ / "h1"));
  ASSERT_EQ(r.code, 0) << r.output;
  auto csv = test::read_file(dir_ / "h1/kpis.csv");
  EXPECT_NE(csv.find("requests_received,2025-01-01,2025-06-30,2025-06-30,,,3,,3"), std::string::npos) << csv.substr(0, 400);
  EXPECT_EQ(test::sendhub("kpis --year 2025 --from 2025-01-01 --to 2025-02-01 --config " + (dir_ / "hub.json")).code, 2);
}

}  // namespace
}  // namespace sendhub

namespace sendhub {
namespace {

// Issue 13: a closed breakdown list has every value, zero included; an open one only what
// is there; labels come with the extract.
TEST_F(Kpis, ClosedBreakdownListsHaveEveryValueAndLabelsComeAlong) {
  for (const char* source : {"1", "2", "3", "4", "5"})
    EXPECT_NE(at("requests_received", "request_source", source), "") << "request_source " << source;
  EXPECT_EQ(at("requests_received", "request_source", "4"), "0/=0");
  EXPECT_EQ(at("request_decisions_within_6_weeks_pct", "request_outcome", "W"), "") << "a value the measure never has";
  for (const char* band : {"0-4", "5-10", "11-15", "16-19", "20-25"}) EXPECT_NE(at("active_plans", "age_band", band), "");
  EXPECT_EQ(at("open_requests", "stage", "assessing").empty(), false);
  for (const char* reason : {"1", "5", "9"}) EXPECT_NE(at("plans_ceased", "cease_reason", reason), "");
  EXPECT_EQ(at("active_plans", "primary_need", "PMLD"), "") << "primary need is an open list";
  const std::string json = test::read_file(dir_ / "out/kpis.json");
  EXPECT_NE(json.find(R"("label":"Requests for an EHC needs assessment")"), std::string::npos);
  EXPECT_NE(json.find(R"("breakdown_value_label":"parent or young person")"), std::string::npos);
  const std::string labels = test::read_file(dir_ / "out/labels.csv");
  EXPECT_NE(labels.find("code,request_source,1,parent or young person"), std::string::npos) << labels.substr(0, 400);
  EXPECT_NE(labels.find("measure,plans_within_20_weeks_excl_exceptions_pct,,EHC plans issued within 20 weeks,"), std::string::npos);
}

class KpiReference : public ::testing::Test {
 protected:
  TempDir dir_;
};

TEST_F(KpiReference, RagFollowsTheDirectionAndTheTolerance) {
  test::write_file(dir_ / "t.csv", "measure,target,amber\nplans_within_20_weeks_excl_exceptions_pct,60,10\nadvice_overdue,10,5\n");
  const kpi::Targets t(dir_ / "t.csv");
  EXPECT_EQ(t.rate("plans_within_20_weeks_excl_exceptions_pct", "60.0", "higher").colour, "green");
  EXPECT_EQ(t.rate("plans_within_20_weeks_excl_exceptions_pct", "50.0", "higher").colour, "amber");
  EXPECT_EQ(t.rate("plans_within_20_weeks_excl_exceptions_pct", "49.9", "higher").colour, "red");
  EXPECT_EQ(t.rate("plans_within_20_weeks_excl_exceptions_pct", "49.9", "higher").rule,
            "target at least 60 missed by 10.1, beyond the tolerance of 10");
  EXPECT_EQ(t.rate("advice_overdue", "15", "lower").colour, "amber");
  EXPECT_EQ(t.rate("advice_overdue", "16", "lower").colour, "red");
  EXPECT_EQ(t.rate("advice_overdue", "", "lower").colour, "") << "no value, no colour";
  EXPECT_EQ(t.rate("requests_received", "99", "none").colour, "") << "no target";
  test::write_file(dir_ / "bad.csv", "measure,target\nx,1\n");
  EXPECT_THROW(kpi::Targets(dir_ / "bad.csv"), Error);
  test::write_file(dir_ / "bad2.csv", "measure,target,amber\nx,sixty,1\n");
  try {
    kpi::Targets t2(dir_ / "bad2.csv");
    ADD_FAILURE() << "a target that is no number";
  } catch (const Error& e) {
    EXPECT_EQ(e.where().line, 2);
  }
}

TEST_F(KpiReference, BenchmarksJoinOnThePeriodElseTheLatestBefore) {
  const kpi::Benchmarks b(SENDHUB_SOURCE_DIR "/config/benchmarks/england.csv");
  const kpi::Period y2024{"2024-01-01", "2024-12-31", "2024-12-31"}, y2025{"2025-01-01", "2025-12-31", "2025-12-31"};
  auto same = b.beside("plans_within_20_weeks_excl_exceptions_pct", y2024);
  ASSERT_EQ(same.size(), 1u);
  EXPECT_EQ(same[0].value, "46.4");
  EXPECT_TRUE(same[0].same_period);
  auto earlier = b.beside("plans_within_20_weeks_excl_exceptions_pct", y2025);
  ASSERT_EQ(earlier.size(), 1u);
  EXPECT_EQ(earlier[0].value, "46.4") << "the latest published year, marked as another period";
  EXPECT_FALSE(earlier[0].same_period);
  const kpi::Period early{"2022-01-01", "2022-12-31", "2022-12-31"};
  EXPECT_TRUE(b.beside("plans_within_20_weeks_excl_exceptions_pct", early).empty()) << "never a later figure";
  auto stock = b.beside("active_plans", {"2025-01-17", "2026-01-15", "2026-01-15"});
  ASSERT_EQ(stock.size(), 1u);
  EXPECT_EQ(stock[0].value, "718838");
}

}  // namespace
}  // namespace sendhub

namespace sendhub {
namespace {

// measure,breakdown,breakdown_value -> numerator/denominator=value of each row of a CSV whose
// columns are named in its header (kpis.csv, or the history limited to one as-at date).
std::map<std::string, std::string> kpi_rows(const std::string& text, const std::string& as_at = "") {
  std::istringstream in(text);
  std::string line;
  std::getline(in, line);
  std::map<std::string, std::size_t> col;
  {
    std::stringstream ss(line);
    std::size_t i = 0;
    for (std::string c; std::getline(ss, c, ',');) col[c.back() == '\r' ? c.substr(0, c.size() - 1) : c] = i++;
  }
  std::map<std::string, std::string> out;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    std::vector<std::string> f;
    std::stringstream ss(line);
    for (std::string cell; std::getline(ss, cell, ',');) f.push_back(cell);
    if (!line.empty() && line.back() == ',') f.emplace_back();
    if (!as_at.empty() && f[col["as_at"]] != as_at) continue;
    out[f[col["measure"]] + "|" + f[col["breakdown"]] + "|" + f[col["breakdown_value"]]] =
        f[col["numerator"]] + "/" + f[col["denominator"]] + "=" + f[col["value"]];
  }
  return out;
}

// A back-filled quarter end is the figure a run at that date gives: each person's flow facts
// are worked out once and added to every period (flow_facts.h), so a fact that leaked the
// current period into an earlier one would show here.
TEST_F(Kpis, ABackFilledSnapshotEqualsTheSamePeriodComputedOnItsOwn) {
  auto r = test::sendhub("kpis --config " + cfg_ + " --as-at 2026-02-15 --snapshots quarter_end --out " + (dir_ / "now"));
  ASSERT_EQ(r.code, 0) << r.output;
  r = test::sendhub("kpis --config " + cfg_ + " --history " + (dir_ / "history.csv"));
  ASSERT_EQ(r.code, 0) << r.output;
  for (const auto& [from, to] : {std::pair{"2024-10-01", "2025-09-30"}, {"2025-01-01", "2025-12-31"}, {"2024-04-01", "2025-03-31"}}) {
    const auto backfilled = kpi_rows(test::read_file(dir_ / "history.csv"), to);
    ASSERT_GT(backfilled.size(), 40u) << to;
    const std::string out = dir_ / (std::string("alone-") + to);
    r = test::sendhub("kpis --config " + cfg_ + " --from " + from + " --to " + to + " --as-at " + to + " --out " + out);
    ASSERT_EQ(r.code, 0) << r.output;
    const auto alone = kpi_rows(test::read_file(out + "/kpis.csv"));
    for (const auto& [key, figure] : backfilled) {
      ASSERT_TRUE(alone.count(key)) << to << " " << key;
      EXPECT_EQ(alone.at(key), figure) << to << " " << key;
    }
  }
  // Not a comparison of empty sheets: the periods differ where the data does.
  EXPECT_NE(kpi_rows(test::read_file(dir_ / "history.csv"), "2025-09-30").at("requests_received||"),
            kpi_rows(test::read_file(dir_ / "history.csv"), "2024-03-31").at("requests_received||"));
}

}  // namespace
}  // namespace sendhub
