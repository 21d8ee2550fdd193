// svg_charts.h: the scorecard's charts as inline SVG (the page stays one offline file).
// Every text label carries class "label" so the page can check that none overlap.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace kpi {

std::string esc(const std::string& text);
// The pages' one stylesheet (GOV.UK-like, printable to A4), and the script that counts chart
// labels overlapping once laid out (body data-label-overlaps, read by the screenshot tests).
const char* page_style();
const char* label_self_check();
std::string fmt(double v, int decimals = 0);

struct Bar {
  std::string label;
  std::optional<double> value;   // nothing: no data (drawn as "no data", not as 0)
  std::string note;              // shown on hover (counts)
};

// Vertical bars for a few labelled columns (years).
std::string column_chart(const std::string& id, const std::string& title, const std::vector<Bar>& bars);
// Horizontal bars, one row a label: labels stack and never collide, however many.
std::string bar_rows(const std::string& id, const std::string& title, const std::vector<Bar>& bars, const std::string& unit);

struct RatePoint {
  std::optional<double> pct;   // nothing: too few cases to plot a rate
  long count = 0, in_time = 0;
};
// Rates by month (0-100%), several lines; a month with fewer than 5 cases is marked, not plotted.
std::string rate_lines(const std::string& id, const std::string& title, const std::vector<std::string>& months,
                       const std::map<std::string, std::vector<RatePoint>>& lines);

struct Band {
  std::string label;
  double value = 0, lower = 0, upper = 0;
  bool projected = false;
};
// A count over time with a shaded interval on its projected part.
std::string band_chart(const std::string& id, const std::string& title, const std::vector<Band>& points);

struct Series {
  std::string name;
  std::vector<std::optional<double>> values;   // one per label; nothing: not published, not plotted
  bool dashed = false;
  bool continues = false;   // drawn in the previous line's colour: its continuation (own data after published)
};
// Several lines over the same years on one scale from 0; the legend wraps onto more rows
// rather than overlap; `note` (a rank, a scale's meaning) sits under the legend.
std::string trend_lines(const std::string& id, const std::string& title, const std::vector<std::string>& labels,
                        const std::vector<Series>& series, const std::string& unit, const std::string& note);

// A tiny line of a measure's history (no labels).
std::string sparkline(const std::vector<double>& values);

}  // namespace kpi
