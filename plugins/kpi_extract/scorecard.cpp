#include "scorecard.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <sstream>

namespace kpi {
namespace {

std::string esc(const std::string& v) {
  std::string out;
  for (char c : v) out += c == '<' ? "&lt;" : c == '>' ? "&gt;" : c == '&' ? "&amp;" : c == '"' ? "&quot;" : std::string(1, c);
  return out;
}

std::string fmt(double v, int decimals = 0) {
  char buf[32];
  std::snprintf(buf, sizeof buf, decimals ? "%.1f" : "%.0f", v);
  return buf;
}

using Series = std::vector<std::pair<std::string, double>>;

std::string bar_chart(const std::string& id, const std::string& title, const Series& data, const std::string& unit) {
  const int w = 560, h = 230, left = 40, bottom = 40, top = 20;
  double max = 1;
  for (const auto& [label, v] : data) max = std::max(max, v);
  std::ostringstream s;
  s << "<figure id=\"" << id << "\"><figcaption>" << esc(title) << "</figcaption><svg viewBox=\"0 0 " << w << ' ' << h
    << "\" width=\"" << w << "\" height=\"" << h << "\" role=\"img\" aria-label=\"" << esc(title) << "\">";
  s << "<line x1=\"" << left << "\" y1=\"" << h - bottom << "\" x2=\"" << w << "\" y2=\"" << h - bottom << "\" stroke=\"#888\"/>";
  const double slot = data.empty() ? 0 : static_cast<double>(w - left) / static_cast<double>(data.size());
  for (std::size_t i = 0; i < data.size(); ++i) {
    const double bh = (h - bottom - top) * data[i].second / max;
    const double x = left + slot * static_cast<double>(i) + slot * 0.15;
    s << "<rect x=\"" << fmt(x) << "\" y=\"" << fmt(h - bottom - bh) << "\" width=\"" << fmt(slot * 0.7) << "\" height=\""
      << fmt(bh) << "\" fill=\"#1d70b8\"><title>" << esc(data[i].first) << ": " << fmt(data[i].second, unit == "%") << unit
      << "</title></rect>";
    s << "<text x=\"" << fmt(x + slot * 0.35) << "\" y=\"" << fmt(h - bottom - bh - 4) << "\" text-anchor=\"middle\" font-size=\"11\">"
      << fmt(data[i].second, unit == "%") << unit << "</text>";
    s << "<text x=\"" << fmt(x + slot * 0.35) << "\" y=\"" << h - bottom + 14 << "\" text-anchor=\"middle\" font-size=\"11\">"
      << esc(data[i].first) << "</text>";
  }
  s << "</svg></figure>\n";
  return s.str();
}

std::string line_chart(const std::string& id, const std::string& title, const std::vector<std::string>& labels,
                       const std::map<std::string, std::vector<double>>& lines) {
  const int w = 560, h = 230, left = 40, bottom = 40, top = 20;
  const char* colours[] = {"#1d70b8", "#d4351c", "#00703c"};
  std::ostringstream s;
  s << "<figure id=\"" << id << "\"><figcaption>" << esc(title) << "</figcaption><svg viewBox=\"0 0 " << w << ' ' << h
    << "\" width=\"" << w << "\" height=\"" << h << "\" role=\"img\" aria-label=\"" << esc(title) << "\">";
  for (int pct : {0, 50, 100}) {
    const double y = h - bottom - (h - bottom - top) * pct / 100.0;
    s << "<line x1=\"" << left << "\" y1=\"" << fmt(y) << "\" x2=\"" << w << "\" y2=\"" << fmt(y) << "\" stroke=\"#ddd\"/><text x=\"4\" y=\""
      << fmt(y + 4) << "\" font-size=\"11\">" << pct << "%</text>";
  }
  const double step = labels.size() > 1 ? static_cast<double>(w - left - 20) / static_cast<double>(labels.size() - 1) : 0;
  for (std::size_t i = 0; i < labels.size(); ++i)
    s << "<text x=\"" << fmt(left + step * static_cast<double>(i)) << "\" y=\"" << h - bottom + 14
      << "\" text-anchor=\"middle\" font-size=\"10\">" << esc(labels[i]) << "</text>";
  int colour = 0, legend = 0;
  for (const auto& [name, values] : lines) {
    std::string points;
    for (std::size_t i = 0; i < values.size(); ++i)
      if (values[i] >= 0) points += fmt(left + step * static_cast<double>(i)) + "," + fmt(h - bottom - (h - bottom - top) * values[i] / 100.0) + " ";
    s << "<polyline fill=\"none\" stroke-width=\"2\" stroke=\"" << colours[colour % 3] << "\" points=\"" << points << "\"/>";
    s << "<text x=\"" << left + 10 + 220 * legend++ << "\" y=\"12\" font-size=\"11\" fill=\"" << colours[colour++ % 3] << "\">"
      << esc(name) << "</text>";
  }
  s << "</svg></figure>\n";
  return s.str();
}

Series breakdown(const std::vector<Row>& rows, const std::string& measure, const std::string& by, bool rate) {
  Series out;
  for (const auto& r : rows)
    if (r.measure == measure && r.breakdown == by && (!rate || !r.value().empty()))
      out.emplace_back(r.breakdown_value, rate ? std::stod(r.value()) : static_cast<double>(r.numerator));
  return out;
}

// Within-limit rates by month for the twelve months to the as-at date.
std::string monthly_rates(const ScorecardCounts& counts) {
  std::vector<std::string> labels;
  std::map<std::string, std::vector<double>> lines;
  auto pct = [](long in, long all) { return all ? 100.0 * static_cast<double>(in) / static_cast<double>(all) : -1; };
  for (const auto& m : counts.months) {
    labels.push_back(m.month);
    lines["decided within 6 weeks"].push_back(pct(m.in6, m.d6));
    lines["plans within 20 weeks"].push_back(pct(m.in20, m.d20));
  }
  return line_chart("chart-monthly-rates", "Decisions within 6 weeks and plans within 20 weeks, by month", labels, lines);
}

std::string requests_by_year(const ScorecardCounts& counts) {
  Series data;
  for (const auto& [year, n] : counts.requests_by_year) data.emplace_back(year, static_cast<double>(n));
  std::string growth;
  for (std::size_t i = 1; i < data.size(); ++i)
    if (data[i - 1].second > 0)
      growth += data[i].first + ": " + fmt(100.0 * (data[i].second - data[i - 1].second) / data[i - 1].second, 1) + "%  ";
  return bar_chart("chart-requests", "Requests for an EHC needs assessment received, by calendar year", data, "") +
         "<p class=\"note\">Growth on the year before: " + esc(growth) + "</p>\n";
}

}  // namespace

ScorecardCounts::ScorecardCounts(const sendhub::HostContext& ctx, Period p) {
  for (int back = 11; back >= 0; --back)
    months.push_back({ctx.add_months(p.as_at.substr(0, 8) + "01", -back).substr(0, 7)});
  const int last = std::stoi(p.as_at.substr(0, 4));
  for (int y = last - 4; y <= last; ++y) requests_by_year[std::to_string(y)] = 0;
}

void ScorecardCounts::add(const Model& m) {
  for (const auto& c : m.cases()) {
    if (c.historical()) continue;
    const std::string& received = c.request->get("received_date");
    if (received.size() >= 4)
      if (auto y = requests_by_year.find(received.substr(0, 4)); y != requests_by_year.end()) ++y->second;
    const std::string& decided = c.request->get("request_outcome_date");
    const std::string& outcome = c.request->get("request_outcome");
    const std::string issued = c.assessment && c.assessment->get("assessment_outcome") == "Y"
                                   ? c.assessment->get("assessment_outcome_date") : "";
    for (auto& month : months) {
      if (decided.rfind(month.month, 0) == 0 && (outcome == "Y" || outcome == "N"))
        if (auto e = m.elapsed(received, decided)) ++month.d6, month.in6 += *e <= 42;
      if (!issued.empty() && issued.rfind(month.month, 0) == 0)
        if (auto e = m.elapsed(received, issued)) ++month.d20, month.in20 += *e <= 140;
    }
  }
}

std::string scorecard_html(const ScorecardCounts& counts, const Period& p, const std::vector<Row>& rows,
                           const std::string& council) {
  std::ostringstream h;
  h << "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>SEND scorecard</title><style>"
       "body{font-family:system-ui,sans-serif;margin:1.5rem;color:#0b0c0c;max-width:1200px}table{border-collapse:collapse}"
       "td,th{border:1px solid #ccc;padding:.25rem .6rem;font-size:.9rem}td.v{text-align:right;font-weight:600}"
       "figure{display:inline-block;margin:1rem 1rem 0 0}figcaption{font-weight:600;margin-bottom:.3rem}.note{color:#505a5f}"
       "</style></head><body>\n<h1>SEND scorecard" << (council.empty() ? "" : " — " + esc(council)) << "</h1>\n"
    << "<p>Period " << p.start << " to " << p.end << "; stock measures as at " << p.as_at
    << ". Synthetic or real, this page names no child: counts and rates only.</p>\n<h2>Headline measures</h2>\n"
    << "<table id=\"headline\"><tr><th>measure</th><th>value</th><th>numerator</th><th>denominator</th></tr>\n";
  for (const auto& r : rows) {
    if (!r.breakdown.empty()) continue;
    h << "<tr><td>" << esc(r.measure) << "</td><td class=\"v\" id=\"kpi-" << esc(r.measure) << "\">" << esc(r.value())
      << "</td><td>" << r.numerator << "</td><td>" << (r.denominator ? std::to_string(*r.denominator) : "") << "</td></tr>\n";
  }
  h << "</table>\n<h2>Charts</h2>\n" << requests_by_year(counts) << monthly_rates(counts)
    << bar_chart("chart-need", "Active plans by primary need", breakdown(rows, "active_plans", "primary_need", false), "")
    << bar_chart("chart-age", "Active plans by age band", breakdown(rows, "active_plans", "age_band", false), "")
    << bar_chart("chart-reviews", "Annual reviews overdue, by primary need", breakdown(rows, "annual_reviews_overdue", "primary_need", false), "")
    << bar_chart("chart-advice", "Advice given within 6 weeks, by type", breakdown(rows, "advice_within_6_weeks_pct", "advice_type", true), "%")
    << "</body></html>\n";
  return h.str();
}

}  // namespace kpi
