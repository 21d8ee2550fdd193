#include "flow_facts.h"

#include <algorithm>

#include "appeal_date.h"
#include "measures.h"

namespace kpi {
namespace {

using sendhub::RecordKind;

// "field" of the measured record, or "kind.field" of its case ("" when there is none): a
// reference into the record, asked for every record, flow and condition of every person, so
// neither the value nor the two names in the reference are copied.
const std::string& field_of(const std::string& ref, const Record& r, const Case* c) {
  static const std::string kNone;
  const auto dot = ref.find('.');
  if (dot == std::string::npos) return r.get(ref);
  if (!c) return kNone;
  const std::string_view kind(ref.data(), dot), field(ref.data() + dot + 1, ref.size() - dot - 1);
  const Record* target = kind == "request" ? c->request : kind == "assessment" ? c->assessment : kind == "plan" ? c->plan
                         : kind == "review" && !c->reviews.empty() ? c->reviews.back() : nullptr;
  return target ? target->get(field) : kNone;
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

// A record with a date that a measure's `where` admits: excluded when a timed measure lacks a
// date, left out when it is under `over_days`, else counted with its breakdown values.
void add_counted(FlowFacts& facts, std::size_t index, const Flow& f, const Model& m) {
  const bool timed = !f.from.empty();
  for (const auto& [r, c] : population(m, f.record)) {
    const std::string& date = r->get(f.date);
    if (date.empty() || !matches(f.where, *r, c)) continue;
    std::optional<long> days;
    if (timed && !(days = m.elapsed(field_of(f.from, *r, c), field_of(f.to, *r, c)))) {
      facts.counted.push_back({index, &date, true, false, facts.values.size()});
      continue;
    }
    if (f.over && *days <= *f.over) continue;
    const bool in_time = f.within ? *days <= *f.within : matches(f.numerator_where, *r, c);
    facts.counted.push_back({index, &date, false, in_time, facts.values.size()});
    for (const auto& b : f.breakdowns) facts.values.push_back(breakdown_value(b, *r, c));
  }
}

// Mediations and tribunals: requests by their decision date, assessments by theirs, and
// those about a plan by their own date where one is known (appeal_date.h), also about a
// plan issued before the period (an H chain, otherwise left out of every flow measure).
void add_appeals(FlowFacts& facts, const Model& m) {
  struct Stage { bool request; const char* mediation; const char* tribunal; };
  static const Stage kStages[] = {{true, "request_mediation", "request_tribunal"},
                                  {false, "assessment_mediation", "assessment_tribunal"},
                                  {false, "other_mediation", "other_tribunal"}};
  for (const auto& c : m.cases())
    for (const bool tribunal : {false, true}) {
      FlowFacts::Appeal a{tribunal, {}};
      for (std::size_t s = 0; s < 3; ++s)
        if (const Record* r = kStages[s].request ? c.request : c.assessment)
          a.dates[s] = plugin_support::appeal_date(*r, tribunal ? kStages[s].tribunal : kStages[s].mediation, c.historical());
      if (std::any_of(a.dates.begin(), a.dates.end(), [](const std::string& d) { return !d.empty(); }))
        facts.appeals.push_back(std::move(a));
    }
}

}  // namespace

FlowFacts::FlowFacts(const std::vector<Flow>& flows, const Model& m) {
  for (std::size_t i = 0; i < flows.size(); ++i) add_counted(*this, i, flows[i], m);
  add_appeals(*this, m);
  for (const auto& c : m.cases())
    if (!c.historical() && !c.request->get("received_date").empty()) received.push_back(&c.request->get("received_date"));
}

}  // namespace kpi
