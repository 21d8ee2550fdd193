#include "tracker.h"

#include <cstdio>

#include "clock.h"
#include "tracker_page.h"
#include "sendhub/csv.h"

namespace kpi {
namespace {

using sendhub::csv::row;  // quoted and formula-neutralised: request_refs are source text
std::string flag(bool b) { return b ? "1" : "0"; }

// Most days elapsed first: the spill sorts keys as bytes, so a fixed-width count down.
std::string longest_first(long days) {
  char key[24];
  std::snprintf(key, sizeof key, "%019ld", 999999999L - days);
  return key;
}

// The header, then the spill's rows in their order, in blocks of 64 KiB.
void write_sorted(sendhub::OutputFile& out, const char* header, const plugin_support::SortedSpill& rows) {
  std::string block = header;
  rows.each([&](std::string_view, std::string_view row) {
    block.append(row);
    if (block.size() >= 65536) {
      out.write(block);
      block.clear();
    }
  });
  out.write(block);
}

}  // namespace

void Tracker::add(const Model& m) {
  add_open_cases(m);
  add_reviews_due(m);
}

void Tracker::add_open_cases(const Model& m) {
  const std::string& d = d_;
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
    const Clock k = clock_of(m, c, *stage, d);
    open_.add(longest_first(days), row({c.request->get("request_ref"), c.request->get("person_ref"), *stage, received,
                                     std::to_string(days / 7), m.plus_days(received, 42), m.plus_days(received, 140),
                                     std::to_string(requested), std::to_string(outstanding), std::to_string(overdue),
                                     flag(breach6), flag(breach20), flag(!breach20 && days + 28 > 140), k.stage,
                                     k.next_step, k.next_due, k.next_due.empty() ? "" : std::to_string(k.days_left), k.state,
                                     flag(k.week20_exception), k.advice, k.case_officer, k.team}));
  }
}

void Tracker::write_open_cases(sendhub::OutputFile& out) const {
  write_sorted(out, "request_ref,person_key,stage,received_date,weeks_elapsed,decision_due,final_plan_due,"
                    "advice_requested,advice_outstanding,advice_overdue,breach_6_weeks,breach_20_weeks,breach_expected,"
                    "clinic_stage,next_step,next_due,days_left,state,week20_exception,advice,case_officer,team\r\n",
               open_);
}

void Tracker::write_page(sendhub::OutputFile& out, const ClinicWeek& week, const std::string& council) const {
  write_tracker_page(out, open_, week, council);
}

void Tracker::add_reviews_due(const Model& m) {
  const std::string& d = d_;
  for (const auto& c : m.cases()) {
    if (!m.active_at(c, d)) continue;
    const auto review = review_due(m, c, d);
    if (!review) continue;
    const std::string& last = review->last;
    const std::string& due = review->due;
    auto until = m.elapsed(d, due);  // nullopt when the due date has passed
    const bool overdue = due < d;
    if (!overdue && (!until || *until > 56)) continue;
    due_.add(due, row({c.request->get("request_ref"), c.request->get("person_ref"), c.primary_need(), last, due,
                                    overdue ? "overdue" : "due_within_8_weeks",
                                    std::to_string(overdue ? m.elapsed(due, d).value_or(0) : -until.value_or(0))}));
  }
}

void Tracker::write_reviews_due(sendhub::OutputFile& out) const {
  write_sorted(out, "request_ref,person_key,primary_need,last_review_meeting,review_due,status,days_overdue\r\n", due_);
}

}  // namespace kpi
