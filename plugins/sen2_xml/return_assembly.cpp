#include "return_assembly.h"

#include <algorithm>
#include <limits>
#include <tuple>

namespace sen2 {
namespace {

using sendhub::Record;
using sendhub::RecordKind;

// Where the year's loaded return had the chain: its line there, else "nowhere" (last).
std::int64_t position_in(const Chain& c, int year) {
  return c.request->return_year == year && c.request->origin.line > 0 ? c.request->origin.line
                                                                       : std::numeric_limits<std::int64_t>::max();
}

}  // namespace

ReturnAssembly::ReturnAssembly(const sendhub::SinkContext& ctx, const sendhub::ReturnYear& year)
    : ctx_(ctx), year_(year) {
  for (const auto& p : ctx.dataset(RecordKind::person)) people_[p.get("person_ref")] = &p;
  std::map<std::string, Chain*> by_ref;
  for (const auto& r : ctx.dataset(RecordKind::request)) {
    ++counts_.cases_seen;
    if (r.get("person_ref").empty() || !people_.count(r.get("person_ref"))) {
      ++counts_.unlinked_cases;  // no person to report it under; the readiness report says so
      continue;
    }
    auto& list = chains_[r.get("person_ref")];
    list.push_back(Chain{&r, nullptr, nullptr, {}, {}, {}, {}});
  }
  for (auto& [key, list] : chains_)
    for (auto& c : list) by_ref[c.request->get("request_ref")] = &c;
  auto attach = [&](RecordKind kind, auto put) {
    for (const auto& r : ctx.dataset(kind))
      if (auto it = by_ref.find(r.get("request_ref")); it != by_ref.end()) put(*it->second, &r);
  };
  attach(RecordKind::assessment, [](Chain& c, const Record* r) { c.assessment = r; });
  attach(RecordKind::plan, [](Chain& c, const Record* r) { c.plan = r; });
  attach(RecordKind::plan_detail, [](Chain& c, const Record* r) { c.plan_details.push_back(r); });
  attach(RecordKind::placement, [](Chain& c, const Record* r) { c.placements.push_back(r); });
  attach(RecordKind::need, [](Chain& c, const Record* r) { c.needs.push_back(r); });
  attach(RecordKind::review, [](Chain& c, const Record* r) { c.reviews.push_back(r); });
}

void ReturnAssembly::each(const std::function<void(std::vector<Record>&)>& person) {
  struct Entry {
    std::int64_t position;
    std::string key;
  };
  std::vector<Entry> order;
  for (auto& [key, list] : chains_) {
    std::stable_sort(list.begin(), list.end(), [&](const Chain& a, const Chain& b) {
      return std::make_tuple(position_in(a, year_.year), chain_date(a), a.request->get("request_ref")) <
             std::make_tuple(position_in(b, year_.year), chain_date(b), b.request->get("request_ref"));
    });
    std::int64_t first = std::numeric_limits<std::int64_t>::max();
    for (const auto& c : list) first = std::min(first, position_in(c, year_.year));
    order.push_back({first, key});
  }
  std::stable_sort(order.begin(), order.end(), [](const Entry& a, const Entry& b) {
    return std::tie(a.position, a.key) < std::tie(b.position, b.key);
  });
  for (const auto& e : order) {
    std::vector<Record> group;
    for (const auto& c : chains_[e.key]) {
      const Scope scope = scope_of(c, year_);
      if (scope == Scope::out) {
        ++counts_.cases_out_of_scope;
        continue;
      }
      auto records = render_chain(c, scope, year_);
      counts_.historical += scope == Scope::historical ? 1 : 0;
      ++counts_.chains;
      for (auto& r : records) group.push_back(std::move(r));
    }
    if (group.empty()) continue;
    Record p = *people_.at(e.key);
    p.return_year = year_.year;
    group.insert(group.begin(), std::move(p));
    ++counts_.persons;
    person(group);
  }
}

}  // namespace sen2
