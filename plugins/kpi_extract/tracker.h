// tracker.h: the Monday performance clinic's lists (measures.md §4): open_cases.csv, one
// row per open request with its clocks and breaches, and reviews_due.csv. Rows name the
// case reference and person_key, never a name.
#pragma once

#include <string>
#include <vector>

#include "measures.h"

namespace kpi {

// Rows are collected one person at a time; only the listed cases are held (the lists are
// sorted by urgency, so they are written at the end).
class Tracker {
 public:
  explicit Tracker(std::string as_at) : d_(std::move(as_at)) {}
  void add(const Model& m);
  std::string open_cases_csv();
  std::string reviews_due_csv();

 private:
  struct Line {
    long days;
    std::string due, text;
  };
  void add_open_cases(const Model& m);
  void add_reviews_due(const Model& m);
  std::string d_;
  std::vector<Line> open_, due_;
};

}  // namespace kpi
