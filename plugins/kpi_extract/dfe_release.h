// dfe_release.h: the DfE's published "Education, health and care plans" statistics as
// released (shared/spec/benchmarks.md §1): one or more releases, each a zip as downloaded or
// its unpacked folder, read through the column map of schemas/benchmarks/dfe_releases.json.
// Kept: the total rows for England, every region, and the councils asked for; the newest
// release's figure for a period stands, and each figure keeps its release.
#pragma once

#include <functional>
#include <set>
#include <string>
#include <vector>

namespace kpi {

struct Published {
  std::string measure, period_start, period_end, as_at;   // a flow: the calendar year; a stock: census day
  std::string level;                                       // england, region or la
  std::string area_code, area_name;                        // old_la_code, region_code or country_code
  std::string region_code;                                 // a council's region
  std::string value;                                       // as published: a number or a marker (x, z, c, u, low)
  std::string numerator, denominator;                      // where published, else ""
  int release = 0;                                         // the release's year
  std::string file;                                        // where it was read: file (zip!entry) and line
  std::int64_t line = 0;
};

// Every figure the releases give for England, the regions and `councils` (3-digit codes).
// Throws sendhub::Error naming file, line and column: no release year in a name, a file that
// is not a DfE data file, a release whose columns the map does not know.
// `census_day`: a return year's census day (HostContext::census_day), which dates a stock.
using CensusDay = std::function<std::string(int)>;
std::vector<Published> read_releases(const std::vector<std::string>& releases, const std::string& schemas_dir,
                                     const std::set<std::string>& councils, const CensusDay& census_day);

// A published value that is a figure: not one of the DfE's markers, which are never zero.
bool is_figure(const std::string& value);

}  // namespace kpi
