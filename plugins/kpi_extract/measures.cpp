#include "measures.h"

#include "appeal_date.h"

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

// "field" of the measured record, or "kind.field" of its case.
std::string field_of(const std::string& ref, const Record& r, const Case* c) {
  auto dot = ref.find('.');
  if (dot == std::string::npos) return r.get(ref);
  if (!c) return "";
  const std::string kind = ref.substr(0, dot), field = ref.substr(dot + 1);
  const Record* target = kind == "request" ? c->request : kind == "assessment" ? c->assessment : kind == "plan" ? c->plan
                         : kind == "review" && !c->reviews.empty() ? c->reviews.back() : nullptr;
  return target ? target->get(field) : "";
}

bool matches(const std::map<std::string, std::vector<std::string>>& where, const Record& r, const Case* c) {
  for (const auto& [field, values] : where)
    if (std::find(values.begin(), values.end(), field_of(field, r, c)) == values.end()) return false;
  return true;
}

std::string breakdown_value(const std::string& b, const Record& r, const Case* c) {
  std::string v;
  if (b == "primary_need") return c ? c->primary_need() : "UNKNOWN";
  if (b == "cease_reason" || b == "advice_type" || b == "request_outcome") v = r.get(b);
  if (b == "request_source") v = c && c->request ? c->request->get(b) : r.get(b);
  return v.empty() ? "UNKNOWN" : v;
}

// The records a flow measure looks at, each with its case.
std::vector<std::pair<const Record*, const Case*>> population(const Model& m, RecordKind kind) {
  std::vector<std::pair<const Record*, const Case*>> out;
  if (kind == RecordKind::advice) {
    for (const Record* a : m.advice()) out.emplace_back(a, m.case_of(a->get("request_ref")));
    return out;
  }
  for (const auto& c : m.cases()) {
    if (kind == RecordKind::review) {  // every review of the history: the period picks
      for (const Record* r : c.reviews) out.emplace_back(r, &c);
      continue;
    }
    const Record* r = kind == RecordKind::request ? c.request : kind == RecordKind::assessment ? c.assessment
                      : kind == RecordKind::plan ? c.plan : nullptr;
    // Historical requests and assessments are carried only for their plans (measures.md §1).
    if (!r || ((kind == RecordKind::request || kind == RecordKind::assessment) && c.historical())) continue;
    out.emplace_back(r, &c);
  }
  return out;
}

void measure(const Model& m, const Period& p, const Flow& f, Sheet& sheet) {
  const bool rate = f.within.has_value() || !f.numerator_where.empty();
  const bool timed = !f.from.empty();   // FlowMeasures::finish gives every measure its total row
  for (const auto& [r, c] : population(m, f.record)) {
    const std::string& date = r->get(f.date);
    if (date.empty() || date < p.start || date > p.end || !matches(f.where, *r, c)) continue;
    std::optional<long> days;
    if (timed && !(days = m.elapsed(field_of(f.from, *r, c), field_of(f.to, *r, c)))) {
      sheet.count("excluded_" + f.id);
      continue;
    }
    if (f.over && *days <= *f.over) continue;
    const bool in_time = f.within ? *days <= *f.within : matches(f.numerator_where, *r, c);
    if (rate) {
      sheet.rate(f.id, "", "", in_time);
      for (const auto& b : f.breakdowns) sheet.rate(f.id, b, breakdown_value(b, *r, c), in_time);
    } else {
      sheet.count(f.id);
      for (const auto& b : f.breakdowns) sheet.count_by(f.id, b, breakdown_value(b, *r, c));
    }
  }
}

long requests_in(const Model& m, const std::string& from, const std::string& to) {
  long n = 0;
  for (const auto& c : m.cases())
    if (!c.historical() && c.request->get("received_date") >= from && c.request->get("received_date") <= to &&
        !c.request->get("received_date").empty())
      ++n;
  return n;
}

// Mediations and tribunals: requests by their decision date, assessments by theirs, and
// those about a plan by their own date where one is known (appeal_date.h), also about a
// plan issued before the period (an H chain, otherwise left out of every flow measure).
void appeals(const Model& m, const Period& p, Sheet& sheet) {
  struct Stage { const char* stage; bool request; const char* mediation; const char* tribunal; };
  const Stage stages[] = {{"request", true, "request_mediation", "request_tribunal"},
                          {"assessment", false, "assessment_mediation", "assessment_tribunal"},
                          {"other", false, "other_mediation", "other_tribunal"}};
  for (const auto& c : m.cases()) {
    for (const char* measure : {"mediations", "tribunals"}) {
      bool counted = false, counted_assessment = false;
      for (const auto& s : stages) {
        const Record* r = s.request ? c.request : c.assessment;
        if (!r) continue;
        const std::string date = plugin_support::appeal_date(*r, measure[0] == 'm' ? s.mediation : s.tribunal, c.historical());
        if (date.empty() || date < p.start || date > p.end) continue;
        sheet.count_by(measure, "stage", s.stage);
        // An assessment with both flags is one assessment in the total.
        if (s.request) counted = true;
        else counted_assessment = true;
      }
      sheet.count(measure, (counted ? 1 : 0) + (counted_assessment ? 1 : 0));
    }
  }
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

const std::string& Sheet::key(const std::string& measure, const std::string& breakdown, const std::string& value) {
  key_.assign(measure).append(1, '\x1f').append(breakdown).append(1, '\x1f').append(value);
  return key_;
}

Row& Sheet::row(const std::string& measure, const std::string& breakdown, const std::string& value, bool is_rate) {
  if (auto it = index_.find(key(measure, breakdown, value)); it != index_.end()) return rows_[it->second];
  index_.emplace(key_, rows_.size());
  Row r{measure, breakdown, value, 0, std::nullopt};
  if (is_rate) r.denominator = 0;
  rows_.push_back(std::move(r));
  return rows_.back();
}

void Sheet::ensure(const std::string& measure, bool is_rate) { row(measure, "", "", is_rate); }

void Sheet::fill(const std::string& measure, const std::string& breakdown, const std::vector<std::string>& values) {
  auto total = index_.find(key(measure, "", ""));
  if (total == index_.end()) return;   // a measure left out (no population file)
  const bool is_rate = rows_[total->second].denominator.has_value();
  for (const auto& v : values) row(measure, breakdown, v, is_rate);
}
void Sheet::set(const std::string& measure, long numerator, long denominator) {
  set_by(measure, "", "", numerator, denominator, 100);
}
void Sheet::set_by(const std::string& measure, const std::string& breakdown, const std::string& value, long numerator,
                   long denominator, int scale) {
  Row& r = row(measure, breakdown, value, true);
  r.numerator = numerator;
  r.denominator = denominator;
  r.scale = scale;
}
void Sheet::count(const std::string& measure, long n) { row(measure, "", "", false).numerator += n; }
void Sheet::count_by(const std::string& measure, const std::string& breakdown, const std::string& value, long n) {
  row(measure, breakdown, value, false).numerator += n;
}
void Sheet::rate(const std::string& measure, const std::string& breakdown, const std::string& value, bool in_time) {
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
}

void FlowMeasures::add(const Model& m, Sheet& sheet) {
  for (const auto& f : flows_) measure(m, p_, f, sheet);
  appeals(m, p_, sheet);
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
  now_ += requests_in(m, p_.start, p_.end);
  before_ += requests_in(m, period_before_->first, period_before_->second);
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
