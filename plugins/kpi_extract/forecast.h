// forecast.h: active plans at the next five January census days, in total and by primary
// need, with an 80% interval and a back-test (measures.md §5). Method: an ordinary
// least-squares line through the active-plan counts at past census days; the interval is
// the line's 80% prediction interval; the back-test refits without the last census and
// reports how far its projection of that census was from the count.
#pragma once

#include <string>

#include "kpi_model.h"

namespace kpi {

std::string forecast_csv(const Model& m, const std::string& as_at);

}  // namespace kpi
