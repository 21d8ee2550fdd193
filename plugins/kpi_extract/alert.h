// alert.h: one alert of the weekly clinic (shared/spec/clinic.md §3): a case's next statutory
// step and the threshold its deadline reached. It names the case reference and person_key,
// never a name.
#pragma once

#include <string>
#include <string_view>

namespace kpi {

struct Alert {
  std::string case_ref, person_key;
  std::string stage;       // the clock's stage, or "plan" for an annual review
  std::string step;        // decision_to_assess..., advice_<provider kind>, annual_review
  std::string due;         // ISO date
  long days_left = 0;      // negative when overdue
  std::string threshold;   // within_<N>, breached, overdue
  bool week20_exception = false;
  std::string case_officer, team;

  // Who, what and which threshold: the same alert is sent to a recipient once. The due date is
  // part of it, so a deadline that moves (a corrected request date) is a new alert.
  std::string key() const { return case_ref + "|" + step + "|" + due + "|" + threshold; }
  // One line of tab-separated fields, to keep an alert that could not be sent, and back.
  std::string serialise() const;
  static Alert parse(std::string_view line);
};

}  // namespace kpi
