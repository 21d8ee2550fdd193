#include "return_assembly.h"

#include <algorithm>
#include <limits>
#include <map>
#include <tuple>

namespace sen2 {
namespace {

using sendhub::Record;
using sendhub::RecordKind;

// The group's cases, by case_key, as chains of pointers into its records.
std::map<std::string, Chain> chains_of(const sendhub::PersonGroup& g) {
  std::map<std::string, Chain> out;
  for (const auto& r : g.records) {
    if (r.case_key.empty() || r.kind() == RecordKind::person || r.kind() == RecordKind::advice) continue;
    Chain& c = out[r.case_key];
    switch (r.kind()) {
      case RecordKind::request: c.request = &r; break;
      case RecordKind::assessment: c.assessment = &r; break;
      case RecordKind::plan: c.plan = &r; break;
      case RecordKind::plan_detail: c.plan_details.push_back(&r); break;
      case RecordKind::placement: c.placements.push_back(&r); break;
      case RecordKind::need: c.needs.push_back(&r); break;
      case RecordKind::review: c.reviews.push_back(&r); break;
      default: break;
    }
  }
  return out;
}

}  // namespace

ReturnAssembly::ReturnAssembly(sendhub::SinkContext& ctx, const sendhub::ReturnYear& year, std::vector<int> loaded_years)
    : ctx_(ctx), year_(year), loaded_years_(std::move(loaded_years)) {
  if (std::find(loaded_years_.begin(), loaded_years_.end(), year_.year) == loaded_years_.end())
    loaded_years_.push_back(year_.year);
}

std::vector<Record> ReturnAssembly::assemble(const sendhub::PersonGroup& g) {
  auto chains = chains_of(g);
  for (const auto& r : g.loaded)
    if (r.kind() == RecordKind::assessment && r.return_year == year_.year)
      if (auto it = chains.find(r.case_key); it != chains.end()) it->second.loaded_assessment = &r;
  // Where the year's loaded return had each case: the line of its request there.
  std::map<std::string, std::int64_t> line_in_return;
  for (const auto& r : g.loaded)
    if (r.kind() == RecordKind::request && r.return_year == year_.year && r.origin.line > 0) {
      auto [it, fresh] = line_in_return.emplace(r.case_key, r.origin.line);
      if (!fresh) it->second = std::min(it->second, r.origin.line);
    }
  auto position = [&](const Chain& c) {
    auto it = line_in_return.find(c.request->case_key);
    return it == line_in_return.end() ? std::numeric_limits<std::int64_t>::max() : it->second;
  };
  std::vector<const Chain*> order;
  for (const auto& [key, c] : chains) {
    if (!c.request) continue;
    ++counts_.cases_seen;
    if (g.person_key.empty()) ++counts_.unlinked_cases;  // no person to report it under; the readiness report says so
    else order.push_back(&c);
  }
  std::stable_sort(order.begin(), order.end(), [&](const Chain* a, const Chain* b) {
    return std::make_tuple(position(*a), chain_date(*a), a->request->get("request_ref")) <
           std::make_tuple(position(*b), chain_date(*b), b->request->get("request_ref"));
  });
  // The person first, then each chain's records: a chain carries at most one of each of its
  // records and one review, so the group is never moved as it grows.
  if (order.empty()) return {};
  std::vector<Record> group;
  std::size_t most = 1;
  for (const Chain* c : order) most += 4 + c->plan_details.size() + c->placements.size() + c->needs.size();
  group.reserve(most);
  group.push_back(g.records.front());   // a linked group starts with its person
  for (const Chain* c : order) {
    const Scope scope = scope_of(*c, year_);
    if (scope == Scope::out) {
      ++counts_.cases_out_of_scope;
      continue;
    }
    counts_.historical += scope == Scope::historical ? 1 : 0;
    ++counts_.chains;
    render_chain(*c, scope, year_, group);
  }
  if (group.size() == 1) return {};
  group.front().return_year = year_.year;
  ++counts_.persons;
  return group;
}

void ReturnAssembly::each(const AssembledPerson& person, const std::function<void(const sendhub::PersonGroup&)>& skipped) {
  sendhub::PersonQuery query;
  query.order_year = year_.year;
  query.loaded_years = loaded_years_;
  ctx_.each_person(query, [&](sendhub::PersonGroup& g) {
    auto group = assemble(g);
    if (group.empty()) {
      if (skipped) skipped(g);
      return;
    }
    person(group, g);
  });
}

}  // namespace sen2
