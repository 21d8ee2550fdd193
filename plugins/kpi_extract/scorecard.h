// scorecard.h: one self-contained HTML page (no network: charts are inline SVG drawn
// here) with the headline measures and the charts scrutiny committees ask for.
#pragma once

#include <string>
#include <vector>

#include "measures.h"

namespace kpi {

std::string scorecard_html(const Model& m, const Period& p, const std::vector<Row>& rows, const std::string& council);

}  // namespace kpi
