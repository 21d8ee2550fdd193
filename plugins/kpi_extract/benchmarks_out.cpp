#include "benchmarks_out.h"

#include <algorithm>
#include <map>
#include <tuple>

#include "reference.h"
#include "sendhub/csv.h"
#include "sendhub/error.h"
#include "text.h"

namespace kpi {
namespace {

const char* const kHeader =
    "measure,period_start,period_end,as_at,area_kind,area_code,area_name,value,numerator,denominator,release,rank\r\n";

std::string one_decimal(double v) { return plugin_support::fixed(v, 1); }

// A period of a measure: the calendar year of a flow, or the census day of a stock.
using PeriodKey = std::tuple<std::string, std::string, std::string, std::string>;   // measure, start, end, as_at
PeriodKey key_of(const Published& p) { return {p.measure, p.period_start, p.period_end, p.as_at}; }

struct Areas {
  const Published* council = nullptr;
  const Published* england = nullptr;
  const Published* region = nullptr;
  std::map<int, const Published*> neighbours;   // by rank
};

std::string row(const PeriodKey& k, const std::string& kind, const std::string& code, const std::string& name,
                const std::string& value, const std::string& num, const std::string& den, const std::string& release,
                const std::string& rank) {
  const auto& [measure, start, end, as_at] = k;
  return sendhub::csv::row({measure, start, end, as_at, kind, code, name, value, num, den, release, rank});
}

std::string published_row(const PeriodKey& k, const std::string& kind, const Published& p, const std::string& rank = "") {
  return row(k, kind, p.area_code, p.area_name, p.value, p.numerator, p.denominator, std::to_string(p.release), rank);
}

std::map<PeriodKey, Areas> by_period(const Comparison& c) {
  std::string region, region_name;
  for (const auto& p : c.published)
    if (p.level == "la" && p.area_code == c.council && !p.region_code.empty()) region = p.region_code;
  for (const auto& p : c.published)
    if (p.level == "region" && p.area_code == region) region_name = p.area_name;
  if (region.empty())
    throw sendhub::Error(sendhub::Where{}, "dfe_releases", "dfe.council",
                         "council " + c.council + " (la.code) is in none of the releases' files (column old_la_code)");
  std::map<std::string, int> rank_of;
  for (const auto& n : c.neighbours) rank_of[n.code] = n.rank;
  std::map<PeriodKey, Areas> out;
  for (const auto& p : c.published) {
    Areas& a = out[key_of(p)];
    if (p.level == "england") a.england = &p;
    else if (p.level == "region" && (p.area_code == region || p.area_code == region_name)) a.region = &p;
    else if (p.level == "la" && p.area_code == c.council) a.council = &p;
    else if (p.level == "la" && rank_of.count(p.area_code)) a.neighbours[rank_of[p.area_code]] = &p;
  }
  return out;
}

PeriodKey key_of(const LiveFigure& l) { return {l.measure, l.period_start, l.period_end, l.as_at}; }

const LiveFigure* live_for(const Comparison& c, const PeriodKey& k) {
  for (const auto& l : c.live)
    if (key_of(l) == k) return &l;
  return nullptr;
}

}  // namespace

std::string rank_among(const std::string& value, const std::vector<std::string>& others, const std::string& better) {
  const auto v = number(value);
  if (!v || (better != "higher" && better != "lower")) return "";
  int place = 1, of = 1;
  for (const auto& o : others) {
    const auto w = number(o);
    if (!w) continue;
    ++of;
    if (better == "higher" ? *w > *v : *w < *v) ++place;
  }
  return std::to_string(place) + "/" + std::to_string(of);
}

std::string benchmarks_csv(const Comparison& c) {
  auto periods = by_period(c);
  for (const auto& l : c.live) periods[key_of(l)];   // periods the DfE has not published yet: the council's own
  std::string out = kHeader;
  for (const auto& [k, a] : periods) {
    std::vector<std::string> values;
    std::vector<double> figures;
    for (const auto& [rank, p] : a.neighbours) {
      values.push_back(p->value);
      if (auto v = number(p->value)) figures.push_back(*v);
    }
    if (a.council)
      out += published_row(k, "council", *a.council, rank_among(a.council->value, values, c.labels.measure(std::get<0>(k)).better));
    if (const LiveFigure* l = live_for(c, k)) out += row(k, "live", c.council, "", l->value, l->numerator, l->denominator, "", "");
    if (a.england) out += published_row(k, "england", *a.england);
    if (a.region) out += published_row(k, "region", *a.region);
    for (const auto& [rank, p] : a.neighbours) out += published_row(k, "neighbour", *p);
    if (figures.empty()) continue;
    double sum = 0;
    for (double f : figures) sum += f;
    std::sort(figures.begin(), figures.end());
    const std::size_t n = figures.size();
    const double median = n % 2 ? figures[n / 2] : (figures[n / 2 - 1] + figures[n / 2]) / 2;
    const std::string count = std::to_string(n);
    out += row(k, "neighbours_mean", "", "", one_decimal(sum / static_cast<double>(n)), "", count, "", "");
    out += row(k, "neighbours_median", "", "", one_decimal(median), "", count, "", "");
  }
  return out;
}

std::string published_vs_own_csv(const Comparison& c) {
  std::string out = "measure,period_start,period_end,as_at,published,own,difference,release\r\n";
  for (const auto& [k, a] : by_period(c)) {
    const LiveFigure* l = live_for(c, k);
    if (!a.council || !l) continue;
    const auto published = number(a.council->value), own = number(l->value);
    if (!published || !own) continue;
    const auto& [measure, start, end, as_at] = k;
    const bool whole = a.council->value.find('.') == std::string::npos && l->value.find('.') == std::string::npos;
    const std::string diff = plugin_support::fixed(*own - *published, whole ? 0 : 1);
    out += sendhub::csv::row({measure, start, end, as_at, a.council->value, l->value, diff, std::to_string(a.council->release)});
  }
  return out;
}

}  // namespace kpi

namespace kpi {

std::vector<Trend> trends(const Comparison& c, const std::vector<std::string>& measures) {
  const auto periods = by_period(c);
  std::vector<Trend> out;
  for (const auto& measure : measures) {
    // year -> what each area gives for it; a stock's year is its census's.
    std::map<std::string, std::map<std::string, double>> at;
    std::string rank, rank_year, region;
    for (const auto& [k, a] : periods) {
      const auto& [m, start, end, as_at] = k;
      if (m != measure) continue;
      const std::string year = (start.empty() ? as_at : start).substr(0, 4);
      auto put = [&](const std::string& line, const std::string& value) {
        if (auto v = number(value)) at[year][line] = *v;
      };
      if (a.council) put("published", a.council->value);
      if (a.england) put("england", a.england->value);
      if (a.region) put("region", a.region->value), region = a.region->area_name;
      std::vector<std::string> values;
      double sum = 0;
      int n = 0;
      for (const auto& [r, p] : a.neighbours) {
        values.push_back(p->value);
        if (auto v = number(p->value)) sum += *v, ++n;
      }
      if (n) at[year]["mean"] = sum / n;
      if (a.council && year >= rank_year) {
        const std::string r = rank_among(a.council->value, values, c.labels.measure(measure).better);
        if (!r.empty()) rank = r, rank_year = year;
      }
    }
    for (const auto& l : c.live)
      if (l.measure == measure)
        if (auto v = number(l.value)) at[(l.period_start.empty() ? l.as_at : l.period_start).substr(0, 4)]["own"] = *v;
    if (at.empty()) continue;
    Trend t;
    t.measure = measure;
    t.index = c.labels.measure(measure).unit == "count";
    if (!rank.empty()) t.title_note = "Rank among its ten statistical neighbours, " + rank_year + ": " + rank + " (1 = best)";
    const std::pair<const char*, std::string> lines[] = {
        {"published", "Council, published"}, {"own", "Council, own data"}, {"england", "England"},
        {"region", region.empty() ? "Region" : region}, {"mean", "Neighbours' mean"}};
    for (const auto& [year, values] : at) t.years.push_back(year);
    // An index's base: the latest year every published line has (the council's own data
    // continues its published line, so it shares that line's base).
    std::string base_year;
    for (const auto& year : t.years) {
      bool all = true;
      for (const auto& [key, name] : lines)
        if (std::string(key) != "own" && !at[year].count(key)) all = false;
      if (all) base_year = year;
    }
    if (t.index && !base_year.empty()) t.title_note = base_year + " = 100" + (t.title_note.empty() ? "" : "; " + t.title_note);
    for (const auto& [key, name] : lines) {
      Series s{name, {}, std::string(key) == "own", std::string(key) == "own"};
      const std::string base_key = std::string(key) == "own" ? "published" : key;
      std::optional<double> base;
      if (!base_year.empty() && at[base_year].count(base_key)) base = at[base_year][base_key];
      bool any = false;
      for (const auto& year : t.years) {
        auto it = at[year].find(key);
        if (it == at[year].end()) {
          s.values.emplace_back();
          continue;
        }
        if (!base) base = it->second;
        any = true;
        s.values.emplace_back(t.index ? (*base ? 100.0 * it->second / *base : 0.0) : it->second);
      }
      if (any) t.series.push_back(std::move(s));
    }
    out.push_back(std::move(t));
  }
  return out;
}

}  // namespace kpi
