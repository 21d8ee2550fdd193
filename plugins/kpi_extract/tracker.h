// tracker.h: the Monday performance clinic's lists (measures.md §4): open_cases.csv, one
// row per open request with its clocks and breaches, and reviews_due.csv. Rows name the
// case reference and person_key, never a name.
#pragma once

#include <string>

#include "measures.h"

namespace kpi {

std::string open_cases_csv(const Model& m, const std::string& as_at);
std::string reviews_due_csv(const Model& m, const std::string& as_at);

}  // namespace kpi
