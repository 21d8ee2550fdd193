// census_measures.h: SEN support and EHC plans as the school census sees them (issue 29,
// shared/spec/inspection.md §2), beside SEN2's: per child, the SEN provision of their main
// registration at the latest census of the six months before the as-at date. The census and
// SEN2 disagree (dates, out-of-area pupils, errors in either), so two measures count by how
// much: census E with no active plan in the casework, and an active plan the census records as
// K or N. Breakdowns of SEN support by primary need, NC year (the census's own, carried to the
// as-at date) and ward, as asked for. Written only when the dataset holds census rows, so a
// hub with no census source reports as before.
#pragma once

#include <string>

#include "kpi_model.h"
#include "measures.h"
#include "place_breakdowns.h"

namespace kpi {

class CensusMeasures {
 public:
  // window_start: the day six months before the as-at date.
  CensusMeasures(std::string as_at, std::string window_start, PlaceBreakdowns& places)
      : as_at_(std::move(as_at)), window_start_(std::move(window_start)), places_(places) {}
  void add(const Model& m, const sendhub::PersonGroup& g, Sheet& sheet);
  void finish(sendhub::HostContext& ctx, Sheet& sheet) const;

 private:
  std::string as_at_, window_start_;
  PlaceBreakdowns& places_;
  bool seen_ = false;
  std::string latest_;   // the latest census date on or before the as-at date
};

}  // namespace kpi
