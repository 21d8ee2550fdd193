#include "link/dataset.h"

#include <algorithm>
#include <optional>
#include <set>

namespace sendhub {
namespace {

using Key = std::pair<std::string, std::string>;  // source, reference

// Fills each empty field of `into` from the records after it, in rank order.
Record merged(std::vector<const Record*> records, const Precedence& p) {
  std::sort(records.begin(), records.end(), [&](const Record* a, const Record* b) {
    return std::make_tuple(p.rank("default", a->source), -a->return_year, a->source, a->key()) <
           std::make_tuple(p.rank("default", b->source), -b->return_year, b->source, b->key());
  });
  Record out = *records.front();
  for (std::size_t i = 0; i < out.size(); ++i)
    for (const Record* r : records)
      if (out.at(i).empty() && !r->at(i).empty()) out.set_at(i, r->at(i));
  return out;
}

}  // namespace

// "surname=cms-people|P100004;forename=..." -> the (source, key) the surname came from,
// else the first field's: where a person's record can be found and fixed.
Key first_origin(const std::string& origins) {
  std::string pick;
  for (std::size_t at = 0; at < origins.size();) {
    std::size_t end = origins.find(';', at);
    const std::string item = origins.substr(at, end == std::string::npos ? std::string::npos : end - at);
    if (pick.empty() || item.rfind("surname=", 0) == 0) pick = item;
    if (item.rfind("surname=", 0) == 0 || end == std::string::npos) break;
    at = end + 1;
  }
  const auto eq = pick.find('='), bar = pick.find('|');
  if (eq == std::string::npos || bar == std::string::npos) return {};
  return {pick.substr(eq + 1, bar - eq - 1), pick.substr(bar + 1)};
}

Dataset build_dataset(Store& store, const Precedence& p, const std::map<std::string, std::string>& request_sources) {
  Dataset out;
  LinkSet links = store.read_links();
  std::map<Key, Where> person_origin;  // so an issue about a person names a file and line
  for (const auto& r : store.read(RecordKind::person, 0)) person_origin[{r.source, r.get("person_ref")}] = r.origin;
  for (const auto& lp : links.linked) {
    Record r(RecordKind::person);
    r.set("person_ref", lp.person_key);
    std::size_t i = 0;
    for (const auto& f : spec(RecordKind::person).fields)
      if (f.name != "person_ref") r.set(f.name, lp.values[i++]);
    const Key from = first_origin(lp.origins);
    r.source = from.first;
    r.person_key = lp.person_key;
    if (auto it = person_origin.find(from); it != person_origin.end()) r.origin = it->second;
    out[RecordKind::person].push_back(std::move(r));
  }
  std::map<Key, const RequestLink*> link_of;
  for (const auto& l : links.requests) link_of[{l.source, l.request_ref}] = &l;
  auto requests = store.read(RecordKind::request, 0);
  std::map<std::string, std::vector<const Record*>> cases;   // case_key -> its request records
  std::map<Key, std::string> case_of;                          // (source, request_ref) -> case_key
  for (const auto& r : requests) {
    auto it = link_of.find({r.source, r.get("request_ref")});
    const std::string c = it == link_of.end() ? r.source + "/" + r.get("request_ref") : it->second->case_key;
    cases[c].push_back(&r);
    case_of[{r.source, r.get("request_ref")}] = c;
  }
  // A child exported by another system names the request by its reference alone.
  std::map<std::string, std::set<std::string>> cases_by_ref;
  for (const auto& [key, c] : case_of) cases_by_ref[key.second].insert(c);
  auto case_for = [&](const Record& r) -> std::optional<std::string> {
    const auto named = request_sources.find(r.source);
    const std::string& owner = named == request_sources.end() ? r.source : named->second;
    if (auto c = case_of.find({owner, r.get("request_ref")}); c != case_of.end()) return c->second;
    auto any = cases_by_ref.find(r.get("request_ref"));
    if (any != cases_by_ref.end() && any->second.size() == 1) return *any->second.begin();
    return std::nullopt;
  };
  std::map<std::string, std::string> display;  // case_key -> the winning request_ref
  for (const auto& [c, members] : cases) {
    Record r = merged(members, p);
    auto it = link_of.find({r.source, r.get("request_ref")});
    r.set("person_ref", it == link_of.end() ? "" : it->second->person_key);
    r.person_key = r.get("person_ref");
    r.case_key = c;
    display[c] = r.get("request_ref");
    out[RecordKind::request].push_back(std::move(r));
  }
  // A case's children: merged across sources for one-per-request kinds; the repeated
  // kinds (placements, needs, plan details) from the best-ranked source that has any.
  for (RecordKind kind : {RecordKind::assessment, RecordKind::plan, RecordKind::review, RecordKind::placement,
                          RecordKind::need, RecordKind::plan_detail}) {
    std::map<std::string, std::vector<const Record*>> by_case;
    const auto all = store.read(kind, 0);
    for (const auto& r : all)
      if (auto c = case_for(r)) by_case[*c].push_back(&r);
    for (auto& [c, list] : by_case) {
      if (spec(kind).key_fields == 1) {
        Record r = merged(list, p);
        r.set("request_ref", display[c]);
        r.case_key = c;
        out[kind].push_back(std::move(r));
        continue;
      }
      const Record* best = *std::min_element(list.begin(), list.end(), [&](const Record* a, const Record* b) {
        return std::make_tuple(p.rank("default", a->source), -a->return_year) < std::make_tuple(p.rank("default", b->source), -b->return_year);
      });
      for (const Record* r : list)
        if (r->source == best->source && r->return_year == best->return_year) {
          Record copy = *r;
          copy.set("request_ref", display[c]);
          copy.case_key = c;
          out[kind].push_back(std::move(copy));
        }
    }
  }
  std::map<Key, const AdviceLink*> advice_link;
  for (const auto& l : links.advice) advice_link[{l.source, l.advice_ref}] = &l;
  for (auto r : store.read(RecordKind::advice, 0)) {
    auto it = advice_link.find({r.source, r.get("advice_ref")});
    if (it != advice_link.end()) {
      r.set("person_ref", it->second->person_key);
      auto c = case_of.find({it->second->request_source, it->second->request_ref});
      r.set("request_ref", c == case_of.end() ? "" : display[c->second]);
    }
    out[RecordKind::advice].push_back(std::move(r));
  }
  return out;
}

}  // namespace sendhub
