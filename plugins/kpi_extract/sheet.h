// sheet.h: one KPI snapshot's rows (interfaces.md §6), added up person by person: one row per
// measure, breakdown and breakdown value.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "slot_index.h"

namespace kpi {

struct Row {
  std::string measure, breakdown, breakdown_value;
  long numerator = 0;
  std::optional<long> denominator;   // set for rates
  int scale = 100;                   // 100: a percentage; 10000: per 10,000
  std::string value() const;         // count, or scale x num / den to one decimal ("" when den is 0)
};

// Rows for one measure, totals first, then each breakdown value in order.
class Sheet {
 public:
  // Names are views: a literal measure name costs no string per call (called for every
  // person, measure and snapshot).
  void count(std::string_view measure, long n = 1);
  void count_by(std::string_view measure, std::string_view breakdown, std::string_view value, long n = 1);
  void rate(std::string_view measure, std::string_view breakdown, std::string_view value, bool in_time);
  void ensure(std::string_view measure, bool is_rate);   // a total row even when nothing counted
  // A row for each of `values` (zero when nothing counted), rate or count as the total row is.
  void fill(std::string_view measure, std::string_view breakdown, const std::vector<std::string>& values);
  void set(std::string_view measure, long numerator, long denominator);
  void set_by(std::string_view measure, std::string_view breakdown, std::string_view value, long numerator,
              long denominator, int scale);
  // The rows in `order` of measures (an excluded_ measure after its own), each measure's total
  // first, then its breakdowns by name and their values (age bands in age order).
  std::vector<Row> rows(const std::vector<std::string>& order) const;

 private:
  Row& row(std::string_view measure, std::string_view breakdown, std::string_view value, bool is_rate);
  // The row named so (hash: hash_of the three names), or -1.
  std::int64_t find(std::string_view measure, std::string_view breakdown, std::string_view value, std::size_t hash) const;

  std::vector<Row> rows_;
  // Every row found by a hash of its three names (slot_index.h): a lookup builds no key and
  // allocates nothing once the row exists. The joined "measure|breakdown|value" keys of before
  // took a quarter of the KPI sink's time, built and hashed for every person, measure and snapshot.
  plugin_support::SlotIndex index_;
};

}  // namespace kpi
