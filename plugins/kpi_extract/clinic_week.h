// clinic_week.h: what the weekly clinic reads at the top of the tracker page (clinic.md §2):
// the open caseload by weeks since the request; the week's movement, the seven days to the
// as-at date against the seven before (requests received, decisions to assess and not, plans
// issued and how many within 20 weeks, new breaches, cases closed); and the demand trajectory,
// requests received per week for 26 weeks with the same weeks a year earlier. Added up one
// person at a time, so nothing of the dataset is held.
#pragma once

#include <array>
#include <string>

#include "kpi_model.h"

namespace kpi {

struct Movement {
  long received = 0, to_assess = 0, not_to_assess = 0, issued = 0, issued_within_20 = 0, new_breaches = 0, closed = 0;
};

class ClinicWeek {
 public:
  static constexpr int kWeeks = 26;
  explicit ClinicWeek(std::string as_at) : d_(std::move(as_at)) {}
  void add(const Model& m);

  const std::string& as_at() const { return d_; }
  Movement week, before;                                  // days D-6..D, and D-13..D-7
  std::array<long, 5> caseload{};                        // weeks 0-6, 6-16, 16-20, 20-52, over 52
  std::array<long, kWeeks> weekly{}, year_before{};      // [0] the week to D
  std::array<std::string, kWeeks> week_ends;             // the last day of each week

 private:
  void count(const Model& m, const std::string& date, long Movement::*field, long d);
  std::string d_;
};

}  // namespace kpi
