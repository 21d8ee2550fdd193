// benchmarks_out.h: the council beside England, its region and its ten statistical
// neighbours, period by period (shared/spec/benchmarks.md §3): benchmarks.csv (tidy, with the
// neighbours' mean and median and the council's rank among them) and published_vs_own.csv
// (the DfE's figure for the council beside its own, where both exist).
#pragma once

#include <string>
#include <vector>

#include "dfe_release.h"
#include "labels.h"
#include "neighbours.h"
#include "svg_charts.h"

namespace kpi {

// The council's own figure for a period, from its dataset (a total row of a snapshot), keyed as
// the DfE keys it: a flow by its calendar year (as_at ""), a stock by its census day (no period).
struct LiveFigure {
  std::string measure, period_start, period_end, as_at, value, numerator, denominator;
};

struct Comparison {
  const std::vector<Published>& published;
  const std::vector<Neighbour>& neighbours;
  const std::string& council;
  const std::vector<LiveFigure>& live;
  const Labels& labels;
};

// Throws sendhub::Error when the releases hold no row for the council.
std::string benchmarks_csv(const Comparison& c);
std::string published_vs_own_csv(const Comparison& c);

// A headline measure's trend for the scorecard, from the earliest published year to now: the
// council as published, then its own figures, England, its region and its neighbours' mean.
// Counts are shown as an index (100 in the latest year every published line has), so a
// council sits on the same scale as England; rates as they are.
struct Trend {
  std::string measure, title_note;   // title_note: the council's rank for the latest published year
  std::vector<std::string> years;
  std::vector<Series> series;
  bool index = false;
};
std::vector<Trend> trends(const Comparison& c, const std::vector<std::string>& measures);

// "3/11": the council's place among itself and its neighbours with a figure, by the measure's
// direction (1 = best); "" when the measure has no direction or the council no figure.
std::string rank_among(const std::string& value, const std::vector<std::string>& others, const std::string& better);

}  // namespace kpi
