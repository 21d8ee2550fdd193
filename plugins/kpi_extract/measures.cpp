#include "measures.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>

namespace kpi {
namespace {

using Poco::JSON::Object;
using sendhub::RecordKind;

Object::Ptr read_measures(const std::string& schemas_dir) {
  const std::string file = schemas_dir + "/kpi/measures.json";
  std::ifstream in(file);
  if (!in) throw sendhub::Error(sendhub::Where{file, 0, ""}, "", "schema", "cannot read the measure definitions");
  std::stringstream text;
  text << in.rdbuf();
  return Poco::JSON::Parser().parse(text.str()).extract<Object::Ptr>();
}

std::vector<std::string> strings(const Poco::JSON::Array::Ptr& a) {
  std::vector<std::string> out;
  for (std::size_t i = 0; a && i < a->size(); ++i) out.push_back(a->getElement<std::string>(static_cast<unsigned>(i)));
  return out;
}

RecordKind kind_named(const std::string& name) {
  for (const auto& k : sendhub::kKinds)
    if (k.name == name) return k.kind;
  throw sendhub::Error("unknown record kind in measures.json: " + name);
}

Flow read_flow(const Object& o) {
  Flow f{o.getValue<std::string>("id"), kind_named(o.getValue<std::string>("record")), o.getValue<std::string>("date"),
         o.optValue<std::string>("from", ""), o.optValue<std::string>("to", ""), {}, {}, {}, {}, strings(o.getArray("breakdowns"))};
  for (const char* key : {"where", "numerator_where"})
    if (auto w = o.getObject(key))
      for (const auto& [field, values] : *w)
        (key[0] == 'w' ? f.where : f.numerator_where)[field] = strings(values.extract<Poco::JSON::Array::Ptr>());
  if (o.has("within_days")) f.within = o.getValue<long>("within_days");
  if (o.has("over_days")) f.over = o.getValue<long>("over_days");
  return f;
}

// One period's share of a person's flow facts (flow_facts.h).
bool in_period(const std::string& date, const Period& p) { return date >= p.start && date <= p.end; }

void add_appeals(const FlowFacts& facts, const Period& p, Sheet& sheet) {
  static const std::string kStages[] = {"request", "assessment", "other"}, kMediations = "mediations",
                           kTribunals = "tribunals";
  for (const auto& a : facts.appeals) {
    const std::string& measure = a.tribunal ? kTribunals : kMediations;
    bool counted = false, counted_assessment = false;
    for (std::size_t s = 0; s < a.dates.size(); ++s) {
      if (a.dates[s].empty() || !in_period(a.dates[s], p)) continue;
      sheet.count_by(measure, "stage", kStages[s]);
      // An assessment with both flags is one assessment in the total.
      (s == 0 ? counted : counted_assessment) = true;
    }
    if (counted || counted_assessment) sheet.count(measure, (counted ? 1 : 0) + (counted_assessment ? 1 : 0));
  }
}

long requests_in(const FlowFacts& facts, const std::string& from, const std::string& to) {
  return static_cast<long>(std::count_if(facts.received.begin(), facts.received.end(),
                                         [&](const std::string* d) { return *d >= from && *d <= to; }));
}

}  // namespace

std::string Row::value() const {
  if (!denominator) return std::to_string(numerator);
  if (*denominator == 0) return "";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f",
                std::round(10.0 * scale * static_cast<double>(numerator) / static_cast<double>(*denominator)) / 10.0);
  return buf;
}

const std::string& Sheet::key(std::string_view measure, std::string_view breakdown, std::string_view value) {
  key_.assign(measure).append(1, '\x1f').append(breakdown).append(1, '\x1f').append(value);
  return key_;
}

Row& Sheet::row(std::string_view measure, std::string_view breakdown, std::string_view value, bool is_rate) {
  if (auto it = index_.find(key(measure, breakdown, value)); it != index_.end()) return rows_[it->second];
  index_.emplace(key_, rows_.size());
  Row r{std::string(measure), std::string(breakdown), std::string(value), 0, std::nullopt};
  if (is_rate) r.denominator = 0;
  rows_.push_back(std::move(r));
  return rows_.back();
}

void Sheet::ensure(std::string_view measure, bool is_rate) { row(measure, "", "", is_rate); }

void Sheet::fill(std::string_view measure, std::string_view breakdown, const std::vector<std::string>& values) {
  auto total = index_.find(key(measure, "", ""));
  if (total == index_.end()) return;   // a measure left out (no population file)
  const bool is_rate = rows_[total->second].denominator.has_value();
  for (const auto& v : values) row(measure, breakdown, v, is_rate);
}
void Sheet::set(std::string_view measure, long numerator, long denominator) {
  set_by(measure, "", "", numerator, denominator, 100);
}
void Sheet::set_by(std::string_view measure, std::string_view breakdown, std::string_view value, long numerator,
                   long denominator, int scale) {
  Row& r = row(measure, breakdown, value, true);
  r.numerator = numerator;
  r.denominator = denominator;
  r.scale = scale;
}
void Sheet::count(std::string_view measure, long n) { row(measure, "", "", false).numerator += n; }
void Sheet::count_by(std::string_view measure, std::string_view breakdown, std::string_view value, long n) {
  row(measure, breakdown, value, false).numerator += n;
}
void Sheet::rate(std::string_view measure, std::string_view breakdown, std::string_view value, bool in_time) {
  Row& r = row(measure, breakdown, value, true);
  *r.denominator += 1;
  r.numerator += in_time ? 1 : 0;
}

std::vector<Row> Sheet::rows(const std::vector<std::string>& order) const {
  std::vector<Row> out = rows_;
  auto pos = [&](const std::string& measure) {
    std::string base = measure.rfind("excluded_", 0) == 0 ? measure.substr(9) : measure;
    auto it = std::find(order.begin(), order.end(), base);
    return std::make_pair(static_cast<long>(it - order.begin()), measure != base);
  };
  // Age bands in age order; other breakdown values as text.
  auto value_key = [](const Row& r) {
    static const std::vector<std::string> kBands = {"0-4", "5-10", "11-15", "16-19", "20-25"};
    auto band = std::find(kBands.begin(), kBands.end(), r.breakdown_value);
    return r.breakdown == "age_band" && band != kBands.end() ? std::string(1, static_cast<char>('0' + (band - kBands.begin())))
                                                             : r.breakdown_value;
  };
  std::stable_sort(out.begin(), out.end(), [&](const Row& a, const Row& b) {
    return std::make_tuple(pos(a.measure), a.breakdown, value_key(a)) < std::make_tuple(pos(b.measure), b.breakdown, value_key(b));
  });
  return out;
}

std::vector<std::string> measure_order(const std::string& schemas_dir) {
  return strings(read_measures(schemas_dir)->getArray("order"));
}

FlowMeasures::FlowMeasures(const std::string& schemas_dir, Period p) : p_(std::move(p)) {
  auto flows = read_measures(schemas_dir)->getArray("flow");
  for (std::size_t i = 0; flows && i < flows->size(); ++i) flows_.push_back(read_flow(*flows->getObject(static_cast<unsigned>(i))));
  for (const auto& f : flows_) excluded_.push_back("excluded_" + f.id);
}

void FlowMeasures::add(const Model& m, const FlowFacts& facts, Sheet& sheet) {
  for (const auto& c : facts.counted) {
    if (!in_period(*c.date, p_)) continue;
    const Flow& f = flows_[c.flow];
    if (c.excluded) {
      sheet.count(excluded_[c.flow]);
      continue;
    }
    const bool rate = f.within.has_value() || !f.numerator_where.empty();
    if (rate) sheet.rate(f.id, "", "", c.in_time);
    else sheet.count(f.id);
    for (std::size_t b = 0; b < f.breakdowns.size(); ++b) {
      const std::string& value = facts.values[c.first_value + b];
      if (rate) sheet.rate(f.id, f.breakdowns[b], value, c.in_time);
      else sheet.count_by(f.id, f.breakdowns[b], value);
    }
  }
  add_appeals(facts, p_, sheet);
  // Growth against the previous period of equal length (its dates worked out once).
  if (!period_before_) {
    period_before_.emplace();
    auto start = m.day(p_.start), end = m.day(p_.end);
    if (start && end) {
      const long length = *end - *start + 1;
      *period_before_ = {m.plus_days(p_.start, -length), m.plus_days(p_.start, -1)};
    }
  }
  if (period_before_->first.empty()) return;
  now_ += requests_in(facts, p_.start, p_.end);
  before_ += requests_in(facts, period_before_->first, period_before_->second);
}

// Growth: numerator the change, denominator the previous period's count.
void FlowMeasures::finish(const sendhub::HostContext& ctx, Sheet& sheet) const {
  for (const auto& f : flows_) {  // every measure has its total row, even with no one in it
    sheet.ensure(f.id, f.within.has_value() || !f.numerator_where.empty());
    if (!f.from.empty()) sheet.ensure("excluded_" + f.id, false);
  }
  sheet.ensure("mediations", false);
  sheet.ensure("tribunals", false);
  if (!ctx.day_number(p_.start) || !ctx.day_number(p_.end)) return sheet.ensure("requests_received_growth_pct", true);
  sheet.set("requests_received_growth_pct", now_ - before_, before_);
}

}  // namespace kpi
