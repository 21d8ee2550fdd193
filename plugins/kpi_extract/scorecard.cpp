#include "scorecard.h"

#include <algorithm>
#include <set>
#include <sstream>

#include "svg_charts.h"

namespace kpi {
namespace {

constexpr long kSmall = 5;   // rates on fewer cases are marked, not read as swings

std::string month_label(const std::string& iso) {
  static const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  if (iso.size() < 7) return iso;
  const int m = std::stoi(iso.substr(5, 2));
  return std::string(kMonths[(m + 11) % 12]) + " " + iso.substr(2, 2);
}

std::string with_commas(const std::string& digits) {
  std::string out;
  const std::size_t start = !digits.empty() && digits[0] == '-' ? 1 : 0;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > start && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

// The counts behind a value: "39 of 84" for a rate, with a mark when the denominator is small.
std::string counts(const Row& r, const std::string& id) {
  if (!r.denominator) return "";
  if (id == "requests_received_growth_pct")
    return (r.numerator >= 0 ? "+" : "") + std::to_string(r.numerator) + " on " + std::to_string(*r.denominator) + " before";
  std::string out = std::to_string(r.numerator) + " of " + std::to_string(*r.denominator);
  if (*r.denominator > 0 && *r.denominator < kSmall) out += " <span class=\"small\" title=\"fewer than 5 cases\">*</span>";
  return out;
}

class Page {
 public:
  explicit Page(const ScorecardInput& in) : in_(in) {
    for (const auto& h : in.history)
      if (h.breakdown.empty() && h.as_at < in.period.as_at) earlier_.insert(h.as_at);
    while (earlier_.size() > 3) earlier_.erase(earlier_.begin());   // the last three snapshots
  }

  std::string html() {
    std::ostringstream h;
    h << "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" "
         "content=\"width=device-width\"><title>SEND scorecard</title><style>" << page_style() << "</style></head><body>\n"
      << "<h1>SEND scorecard" << (in_.council.empty() ? "" : " — " + esc(in_.council)) << "</h1>\n"
      << "<p>Flows over " << esc(in_.period.start) << " to " << esc(in_.period.end) << "; waiting lists and plans as at "
      << esc(in_.period.as_at) << ". Counts and rates only: this page names no child. Rates on fewer than 5 cases are "
         "marked <span class=\"small\">*</span>.</p>\n";
    for (const auto& [group, name] : in_.labels.groups())
      if (group != "data_quality") h << group_table(group, name);
    h << quality_panel() << "<h2>Charts</h2>\n" << charts() << label_self_check() << "</body></html>\n";
    return h.str();
  }

 private:
  std::string group_table(const std::string& group, const std::string& name) {
    std::ostringstream t;
    t << "<section class=\"group\" id=\"group-" << esc(group) << "\"><h2>" << esc(name) << "</h2><table><tr><th>Measure</th>"
      << "<th class=\"n\">Now</th><th class=\"n\">Counts</th>";
    for (const auto& at : earlier_) t << "<th class=\"n\">" << esc(month_label(at)) << "</th>";
    t << "<th>Trend</th><th class=\"n\">Target</th><th>RAG</th><th>England</th></tr>\n";
    int shown_rows = 0;
    for (const auto& r : in_.rows) {
      if (!r.breakdown.empty() || r.measure.rfind("excluded_", 0) == 0) continue;
      const MeasureLabel l = in_.labels.measure(r.measure);
      if (l.group != group) continue;
      ++shown_rows;
      t << row(r, l);
    }
    t << "</table></section>\n";
    return shown_rows ? t.str() : "";
  }

  std::string row(const Row& r, const MeasureLabel& l) {
    std::ostringstream t;
    const Rag rag = in_.targets.rate(r.measure, r.value(), l.better);
    t << "<tr><td title=\"" << esc(l.description) << "\">" << esc(l.name) << "<div class=\"note\">" << esc(l.description)
      << "</div></td><td class=\"v n\" id=\"kpi-" << esc(r.measure) << "\">" << esc(shown(r.value(), l.unit)) << "</td><td class=\"n\">"
      << counts(r, r.measure) << "</td>";
    std::vector<double> trend;
    std::map<std::string, std::string> by_as_at;
    for (const auto& hrow : in_.history)
      if (hrow.measure == r.measure && hrow.breakdown.empty()) {
        by_as_at[hrow.as_at] = hrow.value;
        if (!hrow.value.empty()) trend.push_back(std::stod(hrow.value));
      }
    for (const auto& at : earlier_) t << "<td class=\"n\">" << esc(shown(by_as_at.count(at) ? by_as_at[at] : "", l.unit)) << "</td>";
    t << "<td>" << sparkline(trend) << "</td><td class=\"n\">" << esc(shown(in_.targets.target_text(r.measure), l.unit))
      << "</td><td>";
    if (!rag.colour.empty()) t << "<span class=\"rag " << rag.colour << "\">" << rag.colour << "</span><div class=\"rule\">" << esc(rag.rule) << "</div>";
    t << "</td><td>" << england(r.measure, l.unit) << "</td></tr>\n";
    return t.str();
  }

  std::string england(const std::string& measure, const std::string& unit) {
    std::string out;
    for (const auto& b : in_.benchmarks.beside(measure, in_.period)) {
      out += "<div title=\"" + esc(b.source) + "\">" + esc(b.area) + ": " + esc(shown(b.value, unit));
      if (!b.same_period) out += " <span class=\"note\">(" + esc(b.period_end.empty() ? "as at " + b.as_at : b.period_start.substr(0, 4)) + ")</span>";
      out += "</div>";
    }
    return out;
  }

  std::string quality_panel() {
    std::ostringstream t;
    t << "<section class=\"group\" id=\"group-data_quality\"><h2>Data quality</h2><table><tr><th>What</th><th class=\"n\">Records</th></tr>\n";
    for (const auto& r : in_.rows)
      if (r.breakdown.empty() && r.measure.rfind("excluded_", 0) == 0) {
        const MeasureLabel l = in_.labels.measure(r.measure);
        t << "<tr><td>" << esc(l.name) << "<div class=\"note\">" << esc(l.description) << "</div></td><td class=\"n\" id=\"kpi-"
          << esc(r.measure) << "\">" << r.numerator << "</td></tr>\n";
      }
    const std::pair<const char*, const char*> facts[] = {
        {"link_conflicts", "Fields on which a child's records disagree across systems (conflicts.csv)"},
        {"unlinked_requests", "Requests not linked to any child"},
        {"unlinked_advice", "Advice requests not linked to any child"},
        {"quarantined", "Records quarantined by the latest run (the store's quarantine table)"}};
    for (const auto& [key, text] : facts) {
      auto it = in_.quality.find(key);
      t << "<tr><td>" << text << "</td><td class=\"n\">" << (it == in_.quality.end() ? 0 : it->second) << "</td></tr>\n";
    }
    t << "</table></section>\n";
    return t.str();
  }

  std::vector<Bar> breakdown(const std::string& measure, const std::string& by, bool rate) const {
    std::vector<Bar> out;
    for (const auto& r : in_.rows)
      if (r.measure == measure && r.breakdown == by) {
        Bar b{in_.labels.value(by, r.breakdown_value), std::nullopt, ""};
        if (!rate) b.value = static_cast<double>(r.numerator);
        else if (!r.value().empty() && r.denominator && *r.denominator >= kSmall) b.value = std::stod(r.value());
        b.note = rate && r.denominator ? std::to_string(r.numerator) + " of " + std::to_string(*r.denominator)
                                       : std::to_string(r.numerator);
        out.push_back(std::move(b));
      }
    return out;
  }

  std::string charts() const {
    const auto& c = in_.counts;
    std::vector<Bar> years;
    for (const auto& [year, n] : c.requests_by_year) {
      const bool before_data = c.earliest_received.empty() || year < c.earliest_received.substr(0, 4);
      years.push_back({year, before_data ? std::nullopt : std::optional<double>(n), std::to_string(n) + " requests"});
    }
    std::vector<std::string> months;
    std::map<std::string, std::vector<RatePoint>> lines;
    auto point = [](long in_time, long all) {
      RatePoint p{std::nullopt, all, in_time};
      if (all >= kSmall) p.pct = 100.0 * static_cast<double>(in_time) / static_cast<double>(all);
      return p;
    };
    for (const auto& m : c.months) {
      months.push_back(month_label(m.month));
      lines["decided within 6 weeks"].push_back(point(m.in6, m.d6));
      lines["plans within 20 weeks"].push_back(point(m.in20, m.d20));
    }
    std::vector<Band> forecast;
    for (const auto& p : in_.forecast.history) forecast.push_back({p.census, p.value, p.value, p.value, false});
    for (const auto& p : in_.forecast.projected) forecast.push_back({p.census, p.value, p.lower, p.upper, true});
    std::string beside;
    for (const auto& t : in_.trends)
      beside += trend_lines("chart-trend-" + t.measure,
                            in_.labels.measure(t.measure).name + (t.index ? ", as an index" : "") +
                                ": the council beside England, its region and its statistical neighbours",
                            t.years, t.series, t.index ? "" : "%", t.title_note);
    return beside + column_chart("chart-requests", "Requests for an EHC needs assessment, by calendar year", years) +
           rate_lines("chart-monthly-rates", "Decisions within 6 weeks and plans within 20 weeks, by month", months, lines) +
           bar_rows("chart-need", "Children with a plan, by primary need", breakdown("active_plans", "primary_need", false), "") +
           bar_rows("chart-age", "Children with a plan, by age", breakdown("active_plans", "age_band", false), "") +
           bar_rows("chart-reviews", "Annual reviews overdue, by primary need", breakdown("annual_reviews_overdue", "primary_need", false), "") +
           bar_rows("chart-advice", "Advice given within 6 weeks, by who gave it", breakdown("advice_within_6_weeks_pct", "advice_type", true), "%") +
           band_chart("chart-forecast", "Children with a plan at each January census, projected with an 80% interval", forecast);
  }

  const ScorecardInput& in_;
  std::set<std::string> earlier_;   // as-at dates of the last three earlier snapshots
};

}  // namespace

std::string shown(const std::string& value, const std::string& unit) {
  if (value.empty()) return "–";
  if (unit == "percent") return value + "%";
  if (unit == "count" && value.find('.') == std::string::npos) return with_commas(value);
  return value;
}

ScorecardCounts::ScorecardCounts(const sendhub::HostContext& ctx, const Period& p) {
  for (int back = 11; back >= 0; --back)
    months.push_back({ctx.add_months(p.as_at.substr(0, 8) + "01", -back).substr(0, 7)});
  const int last = std::stoi(p.as_at.substr(0, 4));
  for (int y = last - 4; y <= last; ++y) requests_by_year[std::to_string(y)] = 0;
}

void ScorecardCounts::add(const Model& m) {
  for (const auto& c : m.cases()) {
    if (c.historical()) continue;
    const std::string& received = c.request->get("received_date");
    if (!received.empty() && (earliest_received.empty() || received < earliest_received)) earliest_received = received;
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

std::string scorecard_html(const ScorecardInput& in) { return Page(in).html(); }

}  // namespace kpi
