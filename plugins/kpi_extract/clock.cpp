#include "clock.h"

namespace kpi {
namespace {

// Statutory days from the request (clinic.md §1): the decision whether to assess by week 6,
// a draft plan or the notice not to issue by week 16, the final plan by week 20.
constexpr long kDecisionDays = 42, kDraftDays = 112, kFinalDays = 140, kAdviceDays = 42;


std::string advice_of(const Model& m, const Case& c, const std::string& d) {
  std::string out;
  for (const Record* a : c.advice) {
    const std::string& asked = a->get("requested_date");
    if (asked.empty() || asked > d) continue;
    const std::string due = a->get("due_date").empty() ? m.plus_days(asked, kAdviceDays) : a->get("due_date");
    const std::string& provided = a->get("provided_date");
    const bool arrived = a->get("status") == "completed" && !provided.empty() && provided <= d;
    const std::string state = arrived ? "arrived" : a->get("status") == "cancelled" ? "cancelled" : due < d ? "overdue" : "outstanding";
    out += (out.empty() ? "" : ";") + a->get("advice_type") + ":" + due + ":" + state;
  }
  return out;
}

}  // namespace

std::string case_extra(const Case& c, const char* name) {
  for (const Record* r : {c.request, c.assessment, c.plan})
    if (r)
      if (auto it = r->extras.find(name); it != r->extras.end() && !it->second.empty()) return it->second;
  return "";
}

Clock clock_of(const Model& m, const Case& c, const std::string& stage, const std::string& d) {
  Clock k;
  const std::string& received = c.request->get("received_date");
  const std::string draft = case_extra(c, "draft_date");
  const bool to_issue = c.assessment && c.assessment->get("assessment_outcome") == "Y";
  if (stage == "awaiting_decision") k.stage = "awaiting_decision";
  else if (!draft.empty() && draft <= d) k.stage = "draft_issued";
  else if (to_issue && c.assessment->get("assessment_outcome_date").empty()) k.stage = "awaiting_final";
  else k.stage = "assessing";
  const long due = k.stage == "awaiting_decision" ? kDecisionDays : k.stage == "assessing" ? kDraftDays : kFinalDays;
  k.next_step = k.stage == "awaiting_decision" ? "decision_to_assess"
                : k.stage == "assessing"       ? "draft_or_notice_not_to_issue"
                                               : "final_plan";
  if (received.empty()) return k;
  k.next_due = m.plus_days(received, due);
  const auto due_day = m.day(k.next_due), today = m.day(d);
  if (due_day && today) k.days_left = *due_day - *today;
  k.state = k.days_left < 0 ? "breached" : k.days_left <= kAtRiskDays ? "at_risk" : "on_track";
  k.week20_exception = c.assessment && c.assessment->get("week20") == "1";
  k.advice = advice_of(m, c, d);
  k.case_officer = case_extra(c, "case_officer");
  k.team = case_extra(c, "team");
  return k;
}

}  // namespace kpi
