// alerts_due.h: which cases of one person reach a threshold of the weekly clinic's alerts
// (shared/spec/clinic.md §3) at the as-at date: the next statutory step due within N days
// (the tightest configured N reached), the step breached, advice past its six weeks, an annual
// review overdue. An alert names the case reference and person_key, never a name.
#pragma once

#include <string>
#include <vector>

#include "alert.h"
#include "kpi_model.h"

namespace kpi {

// Thresholds in days, tightest last reached first: {14, 7} alerts at 14 days left, then again
// at 7. The alerts of one person's cases at d.
std::vector<Alert> alerts_of(const Model& m, const std::string& d, const std::vector<long>& thresholds);

}  // namespace kpi
