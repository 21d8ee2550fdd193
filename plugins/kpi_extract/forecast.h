// forecast.h: active plans at the next five January census days, in total and by primary
// need, with an 80% interval and a back-test (measures.md §5). Method: an ordinary
// least-squares line through the active-plan counts at past census days; the interval is
// the line's 80% prediction interval; the back-test refits without the last census and
// reports how far its projection of that census was from the count.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "kpi_model.h"

namespace kpi {

// Active plans at past census days and the projection with its 80% interval, for a chart.
struct ForecastPoint {
  std::string census;
  double value = 0, lower = 0, upper = 0;
};
struct ForecastChart {
  std::vector<ForecastPoint> history, projected;
};

class Forecast {
 public:
  explicit Forecast(std::string as_at) : as_at_(std::move(as_at)) {}
  // Counts one person's active plans at each of the five past census days.
  void add(const Model& m);
  std::string csv(const sendhub::HostContext& ctx) const;
  ForecastChart chart(const sendhub::HostContext& ctx) const;

 private:
  std::string as_at_;
  std::map<int, std::map<std::string, double>> active_;
  std::map<int, std::string> census_;   // census year -> primary need ("ALL") -> plans
};

}  // namespace kpi
