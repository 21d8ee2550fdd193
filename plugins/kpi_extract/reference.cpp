#include "reference.h"

#include <cstdio>
#include <fstream>

#include "csv_line.h"
#include "sendhub/error.h"

namespace kpi {
namespace {

using sendhub::Error;
using sendhub::Where;

std::string shortest(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

}  // namespace

std::vector<std::string> split(const std::string& line) { return plugin_support::split_csv_line(line); }

std::optional<double> number(const std::string& text) {
  try {
    std::size_t used = 0;
    const double v = std::stod(text, &used);
    return used == text.size() ? std::optional<double>(v) : std::nullopt;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

std::vector<std::vector<std::string>> read_table(const std::string& file, const std::vector<std::string>& columns,
                                                 const std::string& key) {
  std::ifstream in(file);
  if (!in) throw Error(Where{file, 0, ""}, key, "kpi.reference", "cannot read the file");
  std::string line;
  std::getline(in, line);
  if (!line.empty() && line.rfind("\xEF\xBB\xBF", 0) == 0) line.erase(0, 3);
  if (split(line) != columns) {
    std::string want;
    for (const auto& c : columns) want += (want.empty() ? "" : ",") + c;
    throw Error(Where{file, 1, ""}, key, "kpi.reference", "the header must be " + want);
  }
  std::vector<std::vector<std::string>> rows;
  for (std::int64_t n = 2; std::getline(in, line); ++n) {
    if (line.empty() || line == "\r") continue;
    auto row = split(line);
    if (row.size() != columns.size())
      throw Error(Where{file, n, ""}, key, "kpi.reference", "expected " + std::to_string(columns.size()) + " fields");
    rows.push_back(std::move(row));
  }
  return rows;
}

Targets::Targets(const std::string& file) {
  std::int64_t n = 1;
  for (const auto& row : read_table(file, {"measure", "target", "amber"}, "targets_file")) {
    ++n;
    auto target = number(row[1]), amber = number(row[2].empty() ? "0" : row[2]);
    if (!target || !amber || *amber < 0)
      throw Error(Where{file, n, ""}, "targets_file", "kpi.reference", "target and amber must be numbers (amber 0 or more)");
    targets_[row[0]] = {*target, *amber};
  }
}

std::string Targets::target_text(const std::string& measure) const {
  auto it = targets_.find(measure);
  return it == targets_.end() ? "" : shortest(it->second.target);
}

Rag Targets::rate(const std::string& measure, const std::string& value, const std::string& better) const {
  auto it = targets_.find(measure);
  const auto v = number(value);
  if (it == targets_.end() || !v || (better != "higher" && better != "lower")) return {};
  const auto [target, amber] = it->second;
  const bool higher = better == "higher";
  const double shortfall = higher ? target - *v : *v - target;   // how far on the wrong side
  const std::string side = higher ? "at least " : "at most ";
  if (shortfall <= 0) return {"green", "target " + side + shortest(target) + " met"};
  if (shortfall <= amber)
    return {"amber", "target " + side + shortest(target) + " missed by " + shortest(shortfall) + ", within the tolerance of " + shortest(amber)};
  return {"red", "target " + side + shortest(target) + " missed by " + shortest(shortfall) + ", beyond the tolerance of " + shortest(amber)};
}

Benchmarks::Benchmarks(const std::string& file) {
  for (auto& row : read_table(file, {"area", "measure", "period_start", "period_end", "as_at", "value", "source"},
                              "benchmarks_file"))
    by_measure_.emplace(row[1], Benchmark{row[0], row[2], row[3], row[4], row[5], row[6], false});
}

void Benchmarks::add_published(const std::vector<Published>& published, const std::string& council) {
  std::string region;
  for (const auto& q : published)
    if (q.level == "la" && q.area_code == council && !q.region_code.empty()) region = q.region_code;
  for (const auto& q : published) {
    if (q.level != "england" && !(q.level == "region" && q.area_code == region)) continue;
    Benchmark b{q.area_name, q.period_start, q.period_end, q.as_at, q.value,
                "DfE, Education, health and care plans, " + std::to_string(q.release) + " release", false};
    auto [from, to] = by_measure_.equal_range(q.measure);
    for (auto it = from; it != to;)   // the DfE's figure replaces one typed in for the same area and period
      if (it->second.area == b.area && it->second.period_start == b.period_start && it->second.period_end == b.period_end &&
          it->second.as_at == b.as_at)
        it = by_measure_.erase(it);
      else
        ++it;
    by_measure_.emplace(q.measure, std::move(b));
  }
}

std::vector<Benchmark> Benchmarks::beside(const std::string& measure, const Period& p) const {
  std::map<std::string, Benchmark> best;   // area -> row
  auto [from, to] = by_measure_.equal_range(measure);
  for (auto it = from; it != to; ++it) {
    Benchmark b = it->second;
    // A flow figure is for a period; a stock figure for a day.
    const bool flow = !b.period_end.empty();
    b.same_period = flow ? b.period_start == p.start && b.period_end == p.end : b.as_at == p.as_at;
    const std::string when = flow ? b.period_end : b.as_at;
    if (!b.same_period && when > (flow ? p.end : p.as_at)) continue;   // never a later figure
    auto& kept = best[b.area];
    const std::string kept_when = kept.period_end.empty() ? kept.as_at : kept.period_end;
    if (kept.area.empty() || b.same_period || (!kept.same_period && when > kept_when)) kept = b;
  }
  std::vector<Benchmark> out;
  out.reserve(best.size());
  for (auto& [area, b] : best) out.push_back(std::move(b));
  return out;
}

}  // namespace kpi
