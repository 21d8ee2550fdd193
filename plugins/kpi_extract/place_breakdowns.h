// place_breakdowns.h: the national curriculum year and ward breakdowns (shared/spec/
// inspection.md §3) of active_plans (at the as-at date) and requests_received (at the date each
// request arrived), which scrutiny reports plan provision by. Asked for in the sink's
// configuration (`breakdowns`), because the ward needs the ONS postcode directory and the
// pool's own SQL does not compute them. A child with no birth date, or a postcode the directory
// lacks, is counted as UNKNOWN, never dropped.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "measures.h"
#include "postcode_directory.h"

namespace kpi {

class PlaceBreakdowns {
 public:
  // wards: nullptr for no ward breakdown.
  PlaceBreakdowns(Period p, bool nc_year, const plugin_support::PostcodeDirectory* wards)
      : p_(std::move(p)), nc_year_(nc_year), wards_(wards) {}
  bool any() const { return nc_year_ || wards_; }
  void add(const Model& m, Sheet& sheet);
  // Every NC year from -4 to 20 has its row, zero included.
  void finish(Sheet& sheet) const;
  long unknown_wards() const { return unknown_wards_; }
  // One child of `measure` counted under their NC year at `at` (the census's recorded one,
  // when given, wins) and their ward, as asked for.
  void count(Sheet& sheet, const char* measure, const Record* person, const std::string& at,
             const std::string& recorded_nc_year = "");
  // Every NC year's row of `measure`, zero included (finish() does it for its own measures).
  void fill(Sheet& sheet, const char* measure) const;
  // ehcp_prevalence_per_10k by ward: active plans per 10,000 residents aged 0-25 of each ward
  // the population gives (a ward with no plan is 0, not left out).
  void prevalence(Sheet& sheet, const std::map<std::string, long>& population) const;

 private:
  Period p_;
  bool nc_year_;
  const plugin_support::PostcodeDirectory* wards_;
  long unknown_wards_ = 0;
  std::map<std::string, long> active_by_ward_;
};

std::vector<std::string> nc_year_values();   // "-4".."20", "UNKNOWN"

}  // namespace kpi
