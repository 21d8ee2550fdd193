// tracker.h: the Monday performance clinic's lists (measures.md §4): open_cases.csv, one
// row per open request with its clocks and breaches, and reviews_due.csv. Rows name the
// case reference and person_key, never a name.
#pragma once

#include <string>

#include "measures.h"
#include "sendhub/plugin.h"
#include "sorted_spill.h"

namespace kpi {

// Rows are collected one person at a time. The lists are sorted by urgency, so they can
// only be written at the end: the rows wait in a sorted spill (a temporary file), not in
// memory, however many cases are open at national scale.
class Tracker {
 public:
  explicit Tracker(std::string as_at) : d_(std::move(as_at)) {}
  void add(const Model& m);
  void write_open_cases(sendhub::OutputFile& out) const;    // longest open first
  void write_reviews_due(sendhub::OutputFile& out) const;   // earliest due first
  // tracker.html (clinic.md §2): the open cases with the week's figures.
  void write_page(sendhub::OutputFile& out, const class ClinicWeek& week, const std::string& council) const;

 private:
  void add_open_cases(const Model& m);
  void add_reviews_due(const Model& m);
  std::string d_;
  plugin_support::SortedSpill open_, due_;
};

}  // namespace kpi
