// clock.h: the statutory clock of one open EHC needs-assessment request at the as-at date
// (shared/spec/clinic.md §1, SEND Regulations 2014): its stage, the next statutory step and
// its due date in calendar days from the request, the days left, and the state the weekly
// clinic reads (on track, at risk within 14 days, breached); each advice request with its own
// six-week due date; the case officer and team a profile keeps in extras.
#pragma once

#include <string>

#include "kpi_model.h"

namespace kpi {

struct Clock {
  std::string stage;       // awaiting_decision, assessing, draft_issued, awaiting_final
  std::string next_step;   // decision_to_assess, draft_or_notice_not_to_issue, final_plan
  std::string next_due;    // ISO date
  long days_left = 0;      // negative when overdue
  std::string state;       // on_track, at_risk, breached
  bool week20_exception = false;
  std::string advice;      // "health:2026-01-01:arrived;educational_psychology:2025-12-22:overdue"
  std::string case_officer, team;
};

inline constexpr long kAtRiskDays = 14;

// A value a profile keeps in extras (draft_date, case_officer, team), from the request, its
// assessment or its plan, the first that has it.
std::string case_extra(const Case& c, const char* name);

// `stage` is open_request_stage()'s: awaiting_decision or assessing.
Clock clock_of(const Model& m, const Case& c, const std::string& stage, const std::string& d);

}  // namespace kpi
