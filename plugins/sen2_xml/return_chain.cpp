#include "return_chain.h"

#include <algorithm>

#include "appeal_date.h"

namespace sen2 {
namespace {

using sendhub::Record;
using sendhub::RecordKind;

const std::string kNone;

const std::string& get(const Record* r, const char* field) { return r ? r->get(field) : kNone; }

bool on_or_before(const std::string& date, const std::string& limit) { return !date.empty() && date <= limit; }
bool before(const std::string& date, const std::string& limit) { return !date.empty() && date < limit; }

// A copy of `r` with only its key fields, ready to take the items the return carries; it
// keeps the origin (source, file, line) so an issue points at the source record.
Record keys_of(const Record& r) {
  Record out(r.kind());
  for (std::size_t i = 0; i < r.kind_spec().key_fields; ++i) out.set_at(i, r.at(i));
  out.origin = r.origin;
  out.source = r.source;
  out.run_id = r.run_id;
  out.person_key = r.person_key;
  out.case_key = r.case_key;
  return out;
}

void copy(Record& to, const Record& from, std::initializer_list<const char*> fields) {
  for (const char* f : fields)
    if (!from.get(f).empty()) to.set(f, from.get(f), from.line_of(f));
}

bool request_decided(const Record& r, const std::string& census) {
  const std::string& outcome = r.get("request_outcome");
  if (outcome == "W") return r.get("request_outcome_date").empty() || on_or_before(r.get("request_outcome_date"), census);
  return (outcome == "Y" || outcome == "N") && on_or_before(r.get("request_outcome_date"), census);
}

bool assessment_decided(const Record* a, const std::string& census) {
  if (!a) return false;
  const std::string& outcome = a->get("assessment_outcome");
  if (outcome == "W") return a->get("assessment_outcome_date").empty() || on_or_before(a->get("assessment_outcome_date"), census);
  return (outcome == "Y" || outcome == "N") && on_or_before(a->get("assessment_outcome_date"), census);
}

bool historical(const Chain& c, const sendhub::ReturnYear& y) {
  if (!c.plan || !on_or_before(get(c.plan, "start_date"), y.reference_date)) return false;
  if (get(c.request, "request_outcome") == "H" || get(c.assessment, "assessment_outcome") == "H") return true;
  if (!get(c.plan, "transfer_la").empty()) return true;  // transferred in: the importing LA reports H
  const std::string& decided = get(c.assessment, "assessment_outcome_date");
  return before(get(c.request, "request_outcome_date"), y.period_start) &&
         (decided.empty() ? before(get(c.plan, "start_date"), y.period_start) : before(decided, y.period_start));
}

// A flag about the plan (other_*) with a date of its own is 1 when that date falls in the
// period (appeal_date.h); one without keeps the assessment's value, as SEN2 reads it.
std::string other_flag(const Record& a, const std::string& flag, bool historical, const sendhub::ReturnYear& y) {
  const std::string* field = plugin_support::appeal_date_field(flag);
  if (!field || a.get(*field).empty()) return historical ? "" : a.get(flag);
  const std::string date = plugin_support::appeal_date(a, flag, historical);
  return !date.empty() && date >= y.period_start && date <= y.period_end ? "1" : "0";
}

// The four flags the return carries for the chain's assessment (sen2.md §2.5). An H chain
// carries them only when one is 1 (an appeal about a plan issued years ago); its
// AssessmentMediation and AssessmentTribunal, which no date places, only from the year's
// own loaded return, which also adds what the merged record lost.
void appeal_flags(Record& out, const Chain& c, bool historical, const sendhub::ReturnYear& y) {
  static const std::string kFlags[] = {"assessment_mediation", "assessment_tribunal", "other_mediation", "other_tribunal"};
  const Record* loaded = historical ? c.loaded_assessment : nullptr;
  std::string values[4];
  bool any = false;
  for (std::size_t i = 0; i < 4; ++i) {
    const std::string& flag = kFlags[i];
    std::string& v = values[i];
    v = flag[0] == 'o' ? other_flag(*c.assessment, flag, historical, y) : historical ? "" : c.assessment->get(flag);
    if (loaded && loaded->get(flag) == "1") v = "1";
    any = any || v == "1";
  }
  if (historical && !any) return;
  for (std::size_t i = 0; i < 4; ++i)
    if (!values[i].empty() || historical) out.set(kFlags[i], values[i].empty() ? "0" : values[i], c.assessment->line_of(kFlags[i]));
}

bool plan_active_in_period(const Chain& c, const sendhub::ReturnYear& y) {
  if (!c.plan || !on_or_before(get(c.plan, "start_date"), y.reference_date)) return false;
  const std::string& ceased = get(c.plan, "cease_date");
  return ceased.empty() || ceased >= y.period_start;
}

}  // namespace

std::string chain_date(const Chain& c) {
  const std::string& received = get(c.request, "received_date");
  return received.empty() ? get(c.plan, "start_date") : received;
}

Scope scope_of(const Chain& c, const sendhub::ReturnYear& y) {
  if (!c.request) return Scope::out;
  const std::string& census = y.reference_date;
  const std::string& received = get(c.request, "received_date");
  if (!received.empty() && received > census) return Scope::out;  // not yet received
  const bool active = plan_active_in_period(c, y);
  if (active && historical(c, y)) return Scope::historical;
  auto in_period = [&](const std::string& d) { return !d.empty() && d >= y.period_start && d <= census; };
  const bool recent = in_period(received) || in_period(get(c.request, "request_outcome_date")) ||
                      in_period(get(c.assessment, "assessment_outcome_date"));
  const std::string& outcome = get(c.request, "request_outcome");
  const bool request_open = !received.empty() && (outcome.empty() || outcome == "A" || !request_decided(*c.request, census));
  const bool assessment_open = outcome == "Y" && request_decided(*c.request, census) &&
                               get(c.assessment, "assessment_outcome") != "W" && !assessment_decided(c.assessment, census);
  // The year's own return reported it: its dates may be gone (a W has none), not its scope.
  const bool reported = c.request->return_year == y.year;
  return active || recent || request_open || assessment_open || reported ? Scope::in : Scope::out;
}

void render_chain(const Chain& c, Scope scope, const sendhub::ReturnYear& y, std::vector<Record>& out) {
  const std::string& census = y.reference_date;
  Record request = keys_of(*c.request);
  request.set("person_ref", c.request->get("person_ref"));
  const bool h = scope == Scope::historical;
  const bool decided = !h && request_decided(*c.request, census);
  if (h) {
    request.set("request_outcome", "H");
  } else {
    copy(request, *c.request, {"received_date", "request_source", "rya"});
    const std::string& outcome = c.request->get("request_outcome");
    if (!decided) {
      request.set("request_outcome", "A");
    } else {
      copy(request, *c.request, {"request_outcome", "exported"});
      if (outcome == "Y" || outcome == "N")
        copy(request, *c.request, {"request_outcome_date", "request_mediation", "request_tribunal"});
    }
  }
  out.push_back(std::move(request));
  // Exported: the child moved to another LA before the assessment finished; nothing further
  // from this LA (sen2.md §1.3).
  if (!h && (!decided || c.request->get("request_outcome") != "Y" || !c.request->get("exported").empty())) return;

  Record assessment = c.assessment ? keys_of(*c.assessment) : Record(RecordKind::assessment);
  if (!c.assessment) assessment.set("request_ref", c.request->get("request_ref")), assessment.origin = c.request->origin;
  const bool issued = h || assessment_decided(c.assessment, census);
  if (h) {
    assessment.set("assessment_outcome", "H");
    if (c.assessment) appeal_flags(assessment, c, true, y);
  } else if (issued) {
    copy(assessment, *c.assessment, {"assessment_outcome", "assessment_outcome_date", "week20"});
    appeal_flags(assessment, c, false, y);
    if (c.assessment->get("assessment_outcome") == "W") assessment.set("assessment_outcome_date", "");
  } else {
    assessment.set("assessment_outcome", "A");
  }
  out.push_back(std::move(assessment));
  if (!issued || !c.plan || !on_or_before(c.plan->get("start_date"), census)) return;

  Record plan = keys_of(*c.plan);
  copy(plan, *c.plan, {"start_date", "plan_res", "plan_wbp", "pb", "oa", "dp", "transfer_la"});
  for (const char* d : {"phase_transfer_due_date", "phase_transfer_final_date"})
    if (on_or_before(c.plan->get(d), census)) copy(plan, *c.plan, {d});
  if (on_or_before(c.plan->get("cease_date"), census)) copy(plan, *c.plan, {"cease_date", "cease_reason"});
  out.push_back(std::move(plan));
  for (const Record* d : c.plan_details) out.push_back(*d);
  for (const Record* p : c.placements) {  // attended in the period, up to census day
    if (!on_or_before(p->get("entry_date"), census) && !p->get("entry_date").empty()) continue;
    if (before(p->get("leaving_date"), y.period_start)) continue;
    Record kept = *p;
    if (!on_or_before(p->get("leaving_date"), census)) kept.set("leaving_date", "");
    out.push_back(std::move(kept));
  }
  for (const Record* n : c.needs) out.push_back(*n);
  // The latest review on or before census day: by its meeting, or by its decision where a
  // year has no meetings (2023); a 2023 ActivePlans with neither still carries Res and WBP.
  auto when = [](const Record* r) -> const std::string& {
    return r->get("review_meeting").empty() ? r->get("last_review") : r->get("review_meeting");
  };
  const Record* latest = nullptr;
  for (const Record* r : c.reviews)
    if (on_or_before(when(r), census) && (!latest || when(r) > when(latest))) latest = r;
  for (const Record* r : c.reviews)
    if (!latest && !r->extras.empty()) latest = r;
  if (latest) {
    Record review = keys_of(*latest);
    review.extras = latest->extras;
    review.set("seq", "1");
    copy(review, *latest, {"review_meeting", "review_outcome"});
    for (const char* d : {"last_review", "review_draft"})
      if (on_or_before(latest->get(d), census)) copy(review, *latest, {d});
    out.push_back(std::move(review));
  }
}

}  // namespace sen2
