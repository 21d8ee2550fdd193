// scorecard.h: one self-contained HTML page (no network: charts are inline SVG) that a SEND
// manager can put in a committee pack: headline measures by group (demand, timeliness, plans
// and reviews, waiting) with plain names, the counts behind each rate, the last three
// snapshots and a sparkline of the history, target and RAG, and England alongside; data
// quality on its own panel; the charts scrutiny asks for, and the forecast with its interval.
// Printable to A4. The page checks itself that no two chart labels overlap (body attribute
// data-label-overlaps), which the screenshot test reads.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "benchmarks_out.h"
#include "forecast.h"
#include "labels.h"
#include "measures.h"
#include "reference.h"

namespace kpi {

// What the charts need beyond the KPI rows, added up one person at a time.
class ScorecardCounts {
 public:
  ScorecardCounts(const sendhub::HostContext& ctx, const Period& p);
  void add(const Model& m);

  struct Month {
    std::string month;   // YYYY-MM
    long d6 = 0, in6 = 0, d20 = 0, in20 = 0;
  };
  std::vector<Month> months;                      // the twelve months to the as-at date
  std::map<std::string, long> requests_by_year;   // the five years to the as-at date
  std::string earliest_received;                  // the dataset's first request: years before it have no data
};

struct ScorecardInput {
  const ScorecardCounts& counts;
  const Period& period;
  const std::vector<Row>& rows;
  std::string council;
  const Labels& labels;
  const Targets& targets;
  const Benchmarks& benchmarks;
  const std::vector<sendhub::MeasureRow>& history;   // every snapshot this sink kept
  ForecastChart forecast;
  std::map<std::string, std::int64_t> quality;
  std::vector<Trend> trends = {};   // beside England, the region and the neighbours (dfe_releases)
};

std::string scorecard_html(const ScorecardInput& in);

// A measure's value as people read it: 46.4%, 1,234, or – when there is none.
std::string shown(const std::string& value, const std::string& unit);

}  // namespace kpi
