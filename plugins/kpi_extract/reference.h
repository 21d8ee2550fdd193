// reference.h: figures set beside the council's (issue 13), each from a tidy CSV file named
// in the sink's configuration:
// - targets_file `measure,target,amber`: per measure a target and an amber tolerance (in the
//   measure's unit). Red, amber or green by the measure's direction: for higher-is-better,
//   green at or above the target, amber within the tolerance below it, red further below.
// - benchmarks_file `area,measure,period_start,period_end,as_at,value,source`: England and any
//   comparator group, from the DfE's published EHC plan statistics (flow measures by period,
//   stock measures by as-at date).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "dfe_release.h"
#include "measures.h"

namespace kpi {

struct Rag {
  std::string colour;   // red, amber, green; "" when the measure has no target or no value
  std::string rule;     // how it was decided, in words
};

class Targets {
 public:
  Targets() = default;
  explicit Targets(const std::string& file);
  bool any() const { return !targets_.empty(); }
  std::string target_text(const std::string& measure) const;
  Rag rate(const std::string& measure, const std::string& value, const std::string& better) const;

 private:
  struct Target {
    double target = 0, amber = 0;
  };
  std::map<std::string, Target> targets_;
};

struct Benchmark {
  std::string area, period_start, period_end, as_at, value, source;
  bool same_period = false;   // for exactly the council's period (else the latest before it)
};

class Benchmarks {
 public:
  Benchmarks() = default;
  explicit Benchmarks(const std::string& file);
  // The DfE's published figures for England and the council's region (dfe_release.h), which
  // replace rows of the benchmarks_file for the same area, measure and period.
  void add_published(const std::vector<Published>& published, const std::string& council);
  // Per area: the row for the council's period (or as-at date), else its latest earlier one.
  std::vector<Benchmark> beside(const std::string& measure, const Period& p) const;

 private:
  std::multimap<std::string, Benchmark> by_measure_;
};

// One CSV line's fields (RFC 4180 quotes; no line break inside a field), CR dropped.
std::vector<std::string> split(const std::string& line);
// A whole decimal number, or nothing ("x", "low", "12a").
std::optional<double> number(const std::string& text);

// One CSV file's rows as fields (RFC 4180 quotes), the header checked against `columns`.
std::vector<std::vector<std::string>> read_table(const std::string& file, const std::vector<std::string>& columns,
                                                 const std::string& key);

}  // namespace kpi
