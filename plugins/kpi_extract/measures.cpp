#include "measures.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>

#include "json_list.h"

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

RecordKind kind_named(const std::string& name) {
  for (const auto& k : sendhub::kKinds)
    if (k.name == name) return k.kind;
  throw sendhub::Error("unknown record kind in measures.json: " + name);
}

Flow read_flow(const Object& o) {
  Flow f{o.getValue<std::string>("id"), kind_named(o.getValue<std::string>("record")), o.getValue<std::string>("date"),
         o.optValue<std::string>("from", ""), o.optValue<std::string>("to", ""), {}, {}, {}, {}, plugin_support::string_list(o.getArray("breakdowns"))};
  for (const char* key : {"where", "numerator_where"})
    if (auto w = o.getObject(key))
      for (const auto& [field, values] : *w)
        (key[0] == 'w' ? f.where : f.numerator_where)[field] = plugin_support::string_list(values.extract<Poco::JSON::Array::Ptr>());
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

std::vector<std::string> measure_order(const std::string& schemas_dir) {
  return plugin_support::string_list(read_measures(schemas_dir)->getArray("order"));
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
