#include "clinic_week.h"

#include "clock.h"
#include "measures.h"

namespace kpi {

// Counts a date into the week to D (D-6..D) or the week before (D-13..D-7); others not.
void ClinicWeek::count(const Model& m, const std::string& date, long Movement::*field, long d) {
  const auto day = m.day(date);
  if (!day || *day > d || *day <= d - 14) return;
  // Named, not `++((cond ? week : before).*field)`: g++ 12 built that as an increment of a
  // copy, and the week's movement stayed at zero.
  Movement& into = *day > d - 7 ? week : before;
  ++(into.*field);
}

void ClinicWeek::add(const Model& m) {
  const auto today = m.day(d_);
  if (!today) return;
  const long d = *today;
  if (week_ends[0].empty())
    for (int i = 0; i < kWeeks; ++i) week_ends[static_cast<std::size_t>(i)] = m.plus_days(d_, -7L * i);
  const std::string& week_ago = week_ends[1];   // d_ less 7 days
  for (const auto& c : m.cases()) {
    if (c.historical()) continue;
    const std::string& received = c.request->get("received_date");
    count(m, received, &Movement::received, d);
    if (auto r = m.day(received)) {
      const long back = d - *r;
      if (back >= 0 && back < 7L * kWeeks) ++weekly[static_cast<std::size_t>(back / 7)];
      const long year = back - 364;   // the same weekdays a year earlier
      if (year >= 0 && year < 7L * kWeeks) ++year_before[static_cast<std::size_t>(year / 7)];
    }
    const std::string& outcome = c.request->get("request_outcome");
    const std::string& decided = c.request->get("request_outcome_date");
    if (outcome == "Y") count(m, decided, &Movement::to_assess, d);
    if (outcome == "N") count(m, decided, &Movement::not_to_assess, d), count(m, decided, &Movement::closed, d);
    const std::string a_outcome = c.assessment ? c.assessment->get("assessment_outcome") : "";
    const std::string issued = c.assessment ? c.assessment->get("assessment_outcome_date") : "";
    if (a_outcome == "Y" || a_outcome == "N") count(m, issued, &Movement::closed, d);
    if (a_outcome == "Y") {
      count(m, issued, &Movement::issued, d);
      if (auto e = m.elapsed(received, issued); e && *e <= 140) count(m, issued, &Movement::issued_within_20, d);
    }
    // A new breach: a statutory step due in the week, not done by its end.
    if (auto stage = open_request_stage(c, d_)) {
      const auto k = clock_of(m, c, *stage, d_);
      if (auto due = m.day(k.next_due); due && *due < d && *due >= d - 7) ++week.new_breaches;
      const long days = m.elapsed(received, d_).value_or(0);
      ++caseload[days <= 42 ? 0 : days <= 112 ? 1 : days <= 140 ? 2 : days <= 364 ? 3 : 4];
    }
    if (auto stage = open_request_stage(c, week_ago)) {
      const auto k = clock_of(m, c, *stage, week_ago);
      if (auto due = m.day(k.next_due); due && *due < d - 7 && *due >= d - 14) ++before.new_breaches;
    }
  }
}

}  // namespace kpi
