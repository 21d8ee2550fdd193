#include "forecast.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "sendhub/csv.h"
#include "text.h"

namespace kpi {
namespace {

struct Fit {
  double slope = 0, intercept = 0, sd = 0, mean_x = 0, sxx = 0;
  std::size_t n = 0;
  double at(double x) const { return intercept + slope * x; }
  // Half-width of the 80% prediction interval (z = 1.2816); with fewer than three points,
  // 10% of the projection for each year ahead.
  double half_width(double x, double last_x) const {
    if (n < 3) return 0.1 * std::abs(at(x)) * std::max(1.0, x - last_x);
    return 1.2816 * sd * std::sqrt(1.0 + 1.0 / static_cast<double>(n) + (x - mean_x) * (x - mean_x) / sxx);
  }
};

Fit fit(const std::vector<std::pair<double, double>>& points) {
  Fit f;
  f.n = points.size();
  if (points.empty()) return f;
  double sy = 0;
  for (const auto& [x, y] : points) f.mean_x += x, sy += y;
  f.mean_x /= static_cast<double>(f.n);
  const double mean_y = sy / static_cast<double>(f.n);
  double sxy = 0;
  for (const auto& [x, y] : points) f.sxx += (x - f.mean_x) * (x - f.mean_x), sxy += (x - f.mean_x) * (y - mean_y);
  f.slope = f.sxx > 0 ? sxy / f.sxx : 0;
  f.intercept = mean_y - f.slope * f.mean_x;
  if (f.n >= 3) {
    double sse = 0;
    for (const auto& [x, y] : points) sse += (y - f.at(x)) * (y - f.at(x));
    f.sd = std::sqrt(sse / static_cast<double>(f.n - 2));
  }
  return f;
}

std::string number(double v) { return plugin_support::fixed(std::max(0.0, v), 0); }

}  // namespace

void Forecast::add(const Model& m) {
  const int this_year = std::stoi(as_at_.substr(0, 4));
  if (census_.empty())  // census days are read from schemas/ once
    for (int y = this_year - 4; y <= this_year; ++y) census_[y] = m.census_day(y);
  for (const auto& [y, census] : census_) {
    if (census > as_at_) continue;
    for (const auto& c : m.cases())
      if (m.active_at(c, census)) ++active_[y]["ALL"], ++active_[y][c.primary_need()];
  }
}

ForecastChart Forecast::chart(const sendhub::HostContext& ctx) const {
  ForecastChart out;
  std::vector<std::pair<double, double>> points;
  for (const auto& [y, counts] : active_)
    if (counts.count("ALL") && counts.at("ALL") > 0) points.emplace_back(y, counts.at("ALL"));
  for (const auto& [x, y] : points) out.history.push_back({ctx.census_day(static_cast<int>(x)), y, y, y});
  if (points.empty()) return out;
  const Fit f = fit(points);
  const double last_x = points.back().first;
  for (int ahead = 1; ahead <= 5; ++ahead) {
    const double x = last_x + ahead, mid = f.at(x), half = f.half_width(x, last_x);
    out.projected.push_back({ctx.census_day(static_cast<int>(x)), std::max(0.0, mid), std::max(0.0, mid - half), mid + half});
  }
  return out;
}

std::string Forecast::csv(const sendhub::HostContext& ctx) const {
  const std::string& as_at = as_at_;
  const int this_year = std::stoi(as_at.substr(0, 4));
  // History: active plans at up to five past census days with data.
  std::map<std::string, std::vector<std::pair<double, double>>> series;
  std::set<std::string> needs{"ALL"};
  for (const auto& [y, counts] : active_)
    for (const auto& [need, n] : counts) needs.insert(need);
  for (const auto& [y, counts] : active_) {
    if (!counts.count("ALL") || counts.at("ALL") == 0) continue;
    for (const auto& need : needs) series[need].emplace_back(y, counts.count(need) ? counts.at(need) : 0);
  }
  std::string out = "census_date,primary_need,projected,lower_80,upper_80,method,history_points,"
                    "backtest_census,backtest_actual,backtest_projected,backtest_error_pct\r\n";
  for (const auto& need : needs) {
    auto& points = series[need];
    for (int y = this_year - 4; y <= this_year && points.size() < series["ALL"].size(); ++y)  // a need absent some years: 0
      if (std::none_of(points.begin(), points.end(), [&](const auto& p) { return p.first == y; }))
        if (std::any_of(series["ALL"].begin(), series["ALL"].end(), [&](const auto& p) { return p.first == y; }))
          points.emplace_back(y, 0);
    std::sort(points.begin(), points.end());
    if (points.empty()) continue;
    const Fit f = fit(points);
    std::string backtest = ",,,";
    if (points.size() >= 3) {
      const Fit earlier = fit({points.begin(), points.end() - 1});
      const auto& [x, actual] = points.back();
      const std::string err = plugin_support::fixed(actual > 0 ? 100.0 * (earlier.at(x) - actual) / actual : 0.0, 1);
      backtest = ctx.census_day(static_cast<int>(x)) + "," + number(actual) + "," + number(earlier.at(x)) + "," + err;  // numbers only
    }
    const double last_x = points.back().first;
    for (int ahead = 1; ahead <= 5; ++ahead) {
      const double x = last_x + ahead;
      const double mid = f.at(x), half = f.half_width(x, last_x);
      // The total row has an empty primary_need, as kpis.csv's totals have (interfaces.md §6).
      out += ctx.census_day(static_cast<int>(x)) + "," + sendhub::csv::field(need == "ALL" ? "" : need) + "," + number(mid) + "," + number(mid - half) + "," +
             number(mid + half) + ",linear_trend," + std::to_string(points.size()) + "," + backtest + "\r\n";
    }
  }
  return out;
}

}  // namespace kpi
