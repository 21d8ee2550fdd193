#include "tracker.h"

#include <algorithm>
#include <vector>

#include "sendhub/csv.h"

namespace kpi {
namespace {

using sendhub::csv::row;  // quoted and formula-neutralised: request_refs are source text
std::string flag(bool b) { return b ? "1" : "0"; }

}  // namespace

void Tracker::add(const Model& m) {
  add_open_cases(m);
  add_reviews_due(m);
}

void Tracker::add_open_cases(const Model& m) {
  const std::string& d = d_;
  auto& lines = open_;
  for (const auto& c : m.cases()) {
    auto stage = open_request_stage(c, d);
    if (!stage) continue;
    const std::string& received = c.request->get("received_date");
    const long days = m.elapsed(received, d).value_or(0);
    long requested = 0, outstanding = 0, overdue = 0;
    for (const Record* a : c.advice) {
      const std::string& asked = a->get("requested_date");
      if (asked.empty() || asked > d) continue;
      ++requested;
      const bool done = a->get("status") == "cancelled" ||
                        (a->get("status") == "completed" && !a->get("provided_date").empty() && a->get("provided_date") <= d);
      if (done) continue;
      ++outstanding;
      if (m.elapsed(asked, d).value_or(0) > 42) ++overdue;
    }
    const std::string& decided = c.request->get("request_outcome_date");
    const bool breach6 = decided.empty() || decided > d ? days > 42 : m.elapsed(received, decided).value_or(0) > 42;
    const bool breach20 = days > 140;
    lines.push_back({days, "", row({c.request->get("request_ref"), c.request->get("person_ref"), *stage, received,
                                     std::to_string(days / 7), m.plus_days(received, 42), m.plus_days(received, 140),
                                     std::to_string(requested), std::to_string(outstanding), std::to_string(overdue),
                                     flag(breach6), flag(breach20), flag(!breach20 && days + 28 > 140)})});
  }
}

std::string Tracker::open_cases_csv() {
  auto& lines = open_;
  std::stable_sort(lines.begin(), lines.end(), [](const Line& a, const Line& b) { return a.days > b.days; });
  std::string out = "request_ref,person_key,stage,received_date,weeks_elapsed,decision_due,final_plan_due,"
                    "advice_requested,advice_outstanding,advice_overdue,breach_6_weeks,breach_20_weeks,breach_expected\r\n";
  for (const auto& l : lines) out += l.text;
  return out;
}

void Tracker::add_reviews_due(const Model& m) {
  const std::string& d = d_;
  auto& lines = due_;
  for (const auto& c : m.cases()) {
    if (!m.active_at(c, d) || reviewed_after(c, d)) continue;
    const std::string last = has_review_by(c, d)
                                 ? latest_review_by(c, d)->get("review_meeting")
                                 : c.plan->get("start_date");
    const std::string due = m.add_months(last, 12);
    auto until = m.elapsed(d, due);  // nullopt when the due date has passed
    const bool overdue = due < d;
    if (!overdue && (!until || *until > 56)) continue;
    lines.push_back({0, due, row({c.request->get("request_ref"), c.request->get("person_ref"), c.primary_need(), last, due,
                                    overdue ? "overdue" : "due_within_8_weeks",
                                    std::to_string(overdue ? m.elapsed(due, d).value_or(0) : -until.value_or(0))})});
  }
}

std::string Tracker::reviews_due_csv() {
  auto& lines = due_;
  std::stable_sort(lines.begin(), lines.end(), [](const Line& a, const Line& b) { return a.due < b.due; });
  std::string out = "request_ref,person_key,primary_need,last_review_meeting,review_due,status,days_overdue\r\n";
  for (const auto& l : lines) out += l.text;
  return out;
}

}  // namespace kpi
