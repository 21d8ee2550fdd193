// scorecard.h: one self-contained HTML page (no network: charts are inline SVG drawn
// here) with the headline measures and the charts scrutiny committees ask for.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "measures.h"

namespace kpi {

// What the charts need beyond the KPI rows, added up one person at a time.
class ScorecardCounts {
 public:
  ScorecardCounts(const sendhub::HostContext& ctx, Period p);
  void add(const Model& m);

  struct Month {
    std::string month;   // YYYY-MM
    long d6 = 0, in6 = 0, d20 = 0, in20 = 0;
  };
  std::vector<Month> months;                   // the twelve months to the as-at date
  std::map<std::string, long> requests_by_year;   // the five years to the as-at date
};

std::string scorecard_html(const ScorecardCounts& counts, const Period& p, const std::vector<Row>& rows,
                           const std::string& council);

}  // namespace kpi
