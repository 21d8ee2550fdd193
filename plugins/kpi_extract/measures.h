// measures.h: the KPI extract of shared/spec/measures.md and interfaces.md §6: one row per
// measure and breakdown value.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "kpi_model.h"

namespace kpi {

struct Period {
  std::string start, end, as_at;   // inclusive ISO dates
};

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
  void count(const std::string& measure, long n = 1);
  void count_by(const std::string& measure, const std::string& breakdown, const std::string& value, long n = 1);
  void rate(const std::string& measure, const std::string& breakdown, const std::string& value, bool in_time);
  void ensure(const std::string& measure, bool is_rate);   // a total row even when nothing counted
  void set(const std::string& measure, long numerator, long denominator);
  void set_by(const std::string& measure, const std::string& breakdown, const std::string& value, long numerator,
              long denominator, int scale);
  std::vector<Row> rows(const std::vector<std::string>& order) const;

 private:
  Row& row(const std::string& measure, const std::string& breakdown, const std::string& value, bool is_rate);
  std::vector<Row> rows_;
};

// Every flow measure (§2) into the sheet; the table comes from schemas/kpi/measures.json.
void flow_measures(const Model& m, const Period& p, const std::string& schemas_dir, Sheet& sheet);
std::vector<std::string> measure_order(const std::string& schemas_dir);
// Every stock measure (§3) at p.as_at; population: residents aged 0-25 (0 = unknown).
void stock_measures(const Model& m, const Period& p, long population, Sheet& sheet);
// A case's stage when it is an open request at d (awaiting_decision, assessing).
std::optional<std::string> open_request_stage(const Case& c, const std::string& d);

}  // namespace kpi
