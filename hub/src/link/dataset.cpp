#include "link/dataset.h"

#include <algorithm>
#include <span>
#include <vector>

namespace sendhub {
namespace {

using Key = std::pair<std::string, std::string>;  // source, reference

// The precedence's rank of each source of a group, looked up once: Precedence::rank builds
// strings and searches maps, and inside a sort's comparisons that was a fifth of the time a
// walk spent grouping records.
class SourceRanks {
 public:
  explicit SourceRanks(const Precedence& p) : p_(p) {}
  // Best first: the source's rank, then the newest return.
  std::pair<int, int> of(const Record& r) {
    for (const auto& [source, rank] : known_)
      if (*source == r.source) return {rank, -r.return_year};
    known_.emplace_back(&r.source, p_.rank("default", r.source));
    return {known_.back().second, -r.return_year};
  }

 private:
  const Precedence& p_;
  std::vector<std::pair<const std::string*, int>> known_;   // the group's records' own strings
};

// Fills each empty field of the best record from the others, in rank order (then source, key).
Record merged(std::span<const Record* const> records, SourceRanks& ranks) {
  if (records.size() == 1) return *records.front();   // the usual case: nothing to merge
  std::vector<std::pair<std::pair<int, int>, const Record*>> ranked;
  ranked.reserve(records.size());
  for (const Record* r : records) ranked.emplace_back(ranks.of(*r), r);
  std::sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) {
    if (a.first != b.first) return a.first < b.first;
    if (const int c = a.second->source.compare(b.second->source)) return c < 0;
    return a.second->key() < b.second->key();
  });
  Record out = *ranked.front().second;
  for (std::size_t i = 0; i < out.size(); ++i)
    for (const auto& [rank, r] : ranked)
      if (out.at(i).empty() && !r->at(i).empty()) out.set_at(i, r->at(i));
  return out;
}

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

Record person_record(const LinkedPerson& lp, const std::vector<Record>& raw) {
  Record r(RecordKind::person);
  r.set("person_ref", lp.person_key);
  std::size_t i = 0;
  for (const auto& f : spec(RecordKind::person).fields)
    if (f.name != "person_ref") r.set(f.name, lp.values[i++]);
  const Key from = first_origin(lp.origins);
  r.source = from.first;
  r.person_key = lp.person_key;
  for (const auto& p : raw)
    if (p.kind() == RecordKind::person && p.source == from.first && p.get("person_ref") == from.second) {
      r.origin = p.origin;
      r.extras = p.extras;
    }
  // What a profile keeps beside the person's fields (social care, disability: issue 29), from
  // every source that has it, the record the person is found by first.
  for (const auto& p : raw)
    if (p.kind() == RecordKind::person)
      for (const auto& [name, value] : p.extras)
        if (!value.empty()) r.extras.emplace(name, value);
  return r;
}

// Source order, as the store reads a kind: by source, file, line, key (built only on a tie).
bool source_order(const Record* a, const Record* b) {
  if (const int c = a->source.compare(b->source)) return c < 0;
  if (const int c = a->origin.file.compare(b->origin.file)) return c < 0;
  if (a->origin.line != b->origin.line) return a->origin.line < b->origin.line;
  return a->key() < b->key();
}

}  // namespace

PersonGroup make_person_group(StoredGroup& stored, const Precedence& p, const std::vector<int>& loaded_years) {
  PersonGroup out;
  out.records.reserve(stored.records.size() + 1);   // at most one each, and the linked person
  SourceRanks ranks(p);
  if (stored.person) out.person_key = stored.person->person_key;
  for (auto& r : stored.records) r.person_key = out.person_key;
  if (stored.person) out.records.push_back(person_record(*stored.person, stored.records));
  // Each case's records by kind (the request first: kinds in their order), in source order:
  // one sorted list read in runs, not maps of lists built for every group.
  std::vector<const Record*> in_cases, no_case;   // no_case: advice of the person and of no case, pupils
  for (const auto& r : stored.records)
    if (r.kind() != RecordKind::person) (r.case_key.empty() ? no_case : in_cases).push_back(&r);
  std::sort(in_cases.begin(), in_cases.end(), [](const Record* a, const Record* b) {
    if (const int c = a->case_key.compare(b->case_key)) return c < 0;
    if (a->kind() != b->kind()) return a->kind() < b->kind();
    return source_order(a, b);
  });
  using Run = std::span<const Record* const>;
  const auto run_end = [&](std::size_t from, auto same) {
    std::size_t to = from;
    while (to < in_cases.size() && same(in_cases[from], in_cases[to])) ++to;
    return to;
  };
  const auto same_case = [](const Record* a, const Record* b) { return a->case_key == b->case_key; };
  const auto same_kind = [](const Record* a, const Record* b) { return a->case_key == b->case_key && a->kind() == b->kind(); };
  for (std::size_t at = 0, case_end = 0; at < in_cases.size(); at = case_end) {
    case_end = run_end(at, same_case);
    if (in_cases[at]->kind() != RecordKind::request) continue;   // children whose request is gone
    std::size_t kind_end = run_end(at, same_kind);
    Record request = merged(Run(in_cases).subspan(at, kind_end - at), ranks);
    request.set("person_ref", out.person_key);
    request.person_key = out.person_key;
    const std::string display = request.get("request_ref");
    out.records.push_back(std::move(request));
    for (std::size_t from = kind_end; from < case_end; from = kind_end) {
      kind_end = run_end(from, same_kind);
      const Run list = Run(in_cases).subspan(from, kind_end - from);
      const RecordKind kind = list.front()->kind();
      if (kind == RecordKind::advice) {
        for (const Record* a : list) out.records.emplace_back(*a).set("request_ref", display);
        continue;
      }
      if (spec(kind).key_fields == 1) {
        out.records.emplace_back(merged(list, ranks)).set("request_ref", display);
        continue;
      }
      // Repeated kinds (placements, needs, plan details, reviews): the best source's set.
      const Record* best = *std::min_element(list.begin(), list.end(),
                                             [&](const Record* a, const Record* b) { return ranks.of(*a) < ranks.of(*b); });
      for (const Record* r : list)
        if (r->source == best->source && r->return_year == best->return_year) out.records.emplace_back(*r).set("request_ref", display);
    }
  }
  // Advice of no case, and the person's census rows (pupil), which belong to no case.
  std::sort(no_case.begin(), no_case.end(), source_order);
  for (const Record* a : no_case) {
    Record& r = out.records.emplace_back(*a);
    if (r.kind() == RecordKind::advice) r.set("request_ref", "");
  }
  for (auto& r : out.records)   // the source's own reference never reaches a sink
    if (r.kind() == RecordKind::advice || r.kind() == RecordKind::pupil) r.set("person_ref", out.person_key);
  for (auto& r : stored.records)
    if (loaded_in(r, loaded_years)) out.loaded.push_back(std::move(r));
  return out;
}

}  // namespace sendhub
