// measures.h: the KPI extract of shared/spec/measures.md and interfaces.md §6: one row per
// measure and breakdown value.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "flow_facts.h"
#include "kpi_model.h"
#include "sheet.h"

namespace kpi {

struct Period {
  std::string start, end, as_at;   // inclusive ISO dates
};

// A flow measure as schemas/kpi/measures.json defines it.
struct Flow {
  std::string id;
  sendhub::RecordKind record;
  std::string date, from, to;
  std::map<std::string, std::vector<std::string>> where, numerator_where;
  std::optional<long> within, over;
  std::vector<std::string> breakdowns;
};

// Every flow measure (§2), added up one person at a time (the person's FlowFacts, worked out
// once for every period from flows()), then finished.
class FlowMeasures {
 public:
  FlowMeasures(const std::string& schemas_dir, Period p);
  void add(const Model& m, const FlowFacts& facts, Sheet& sheet);
  void finish(const sendhub::HostContext& ctx, Sheet& sheet) const;
  const std::vector<Flow>& flows() const { return flows_; }

 private:
  std::vector<Flow> flows_;
  std::vector<std::string> excluded_;   // "excluded_" + each flow's id, built once
  Period p_;
  long now_ = 0, before_ = 0;   // requests in the period and in the one before (growth)
  std::optional<std::pair<std::string, std::string>> period_before_;   // its start and end; empty: no period
};

std::vector<std::string> measure_order(const std::string& schemas_dir);

// Every stock measure (§3) at p.as_at, added up one person at a time; population: residents
// aged 0-25 (0 = unknown).
class StockMeasures {
 public:
  explicit StockMeasures(Period p) : p_(std::move(p)) {}
  void add(const Model& m, Sheet& sheet);
  void finish(long population, Sheet& sheet) const;

 private:
  Period p_;
  long active_ = 0;
  std::map<std::string, long> active_by_need_;
};
// A case's stage when it is an open request at d (awaiting_decision, assessing).
std::optional<std::string> open_request_stage(const Case& c, const std::string& d);

}  // namespace kpi
