#include "reconciliation.h"

#include <algorithm>

#include "sendhub/csv.h"

namespace sen2 {
namespace {

PlanState state_of(const sendhub::Record& plan, const std::string& person_key, const std::string& reference) {
  return {person_key, reference, plan.get("start_date"), plan.get("cease_date"), plan.get("cease_reason"),
          plan.get("transfer_la")};
}

}  // namespace

Reconciliation::Reconciliation(std::string last_census, std::string census, std::vector<std::string> transfer_out_reasons)
    : last_census_(std::move(last_census)), census_(std::move(census)), transfer_out_(std::move(transfer_out_reasons)) {}

void Reconciliation::previous(const sendhub::Record& plan, const std::string& person_key, const std::string& reference) {
  if (!plan.case_key.empty()) before_[plan.case_key] = state_of(plan, person_key, reference);
}

void Reconciliation::current(const sendhub::Record& plan, const std::string& person_key, const std::string& reference) {
  if (!plan.case_key.empty()) now_[plan.case_key] = state_of(plan, person_key, reference);
}

bool Reconciliation::active_at(const PlanState& p, const std::string& day) const {
  return !p.start.empty() && p.start <= day && (p.cease.empty() || p.cease > day);
}

void Reconciliation::end_person() {
  add_balance();
  add_findings();
  before_.clear();
  now_.clear();
}

void Reconciliation::add_balance() {
  Balance& b = balance_;
  for (const auto& [key, p] : before_) b.active_before += active_at(p, last_census_) ? 1 : 0;
  for (const auto& [key, p] : now_) {
    b.active_now += active_at(p, census_) ? 1 : 0;
    const bool started_since = !p.start.empty() && p.start > last_census_ && p.start <= census_;
    const bool ceased_since = !p.cease.empty() && p.cease > last_census_ && p.cease <= census_;
    if (started_since) (p.transfer_la.empty() ? b.issued : b.transferred_in) += 1;
    const bool out = std::find(transfer_out_.begin(), transfer_out_.end(), p.cease_reason) != transfer_out_.end();
    if (ceased_since && (p.start <= last_census_ || started_since)) (out ? b.transferred_out : b.ceased) += 1;
  }
}

void Reconciliation::add_findings() {
  auto& out = findings_;
  for (const auto& [key, p] : before_) {
    if (!active_at(p, last_census_)) continue;
    auto it = now_.find(key);
    if (it == now_.end()) {
      out.push_back({p.person_key, p.reference, "plan active at the last census (as that return says) is not in this return, and no cease or transfer explains it"});
      continue;
    }
    const auto& n = it->second;
    if (!active_at(n, census_) && (n.cease.empty() || n.cease <= last_census_ || n.cease > census_))
      out.push_back({n.person_key, n.reference, "plan active at the last census is not active now, and did not cease since"});
  }
  for (const auto& [key, n] : now_) {
    if (!active_at(n, census_)) continue;
    const bool started_since = n.start > last_census_;
    auto it = before_.find(key);
    if (!started_since && (it == before_.end() || !active_at(it->second, last_census_)))
      out.push_back({n.person_key, n.reference, "plan started before the last census but was not in that return"});
  }
}

std::string Reconciliation::summary() const {
  const Balance b = balance();
  return "plans active at " + last_census_ + " " + std::to_string(b.active_before) + " (" + previous_source_ +
         ") + issued " + std::to_string(b.issued) + " + transferred in " + std::to_string(b.transferred_in) +
         " - ceased " + std::to_string(b.ceased) + " - transferred out " + std::to_string(b.transferred_out) +
         " = " + std::to_string(b.active_before + b.issued + b.transferred_in - b.ceased - b.transferred_out) +
         "; active at " + census_ + ": " + std::to_string(b.active_now) + "; unexplained " +
         std::to_string(b.unexplained()) + ", cases listed " + std::to_string(findings_.size());
}

std::string Reconciliation::csv() const {
  using sendhub::csv::row;
  const Balance b = balance();
  std::string out = row({"kind", "item", "count", "person_key", "reference"});
  for (const auto& [item, n] : std::vector<std::pair<std::string, long>>{
           {"active at " + last_census_ + " (" + previous_source_ + ")", b.active_before},
           {"issued since", b.issued}, {"transferred in", b.transferred_in}, {"ceased", b.ceased},
           {"transferred out", b.transferred_out}, {"active at " + census_, b.active_now},
           {"unexplained difference", b.unexplained()}})
    out += row({"balance", item, std::to_string(n), "", ""});
  std::vector<Finding> sorted = findings_;
  std::sort(sorted.begin(), sorted.end(), [](const Finding& x, const Finding& y) {
    return std::tie(x.finding, x.person_key, x.reference) < std::tie(y.finding, y.person_key, y.reference);
  });
  for (const auto& f : sorted) out += row({"case", f.finding, "", f.person_key, f.reference});
  return out;
}

}  // namespace sen2
