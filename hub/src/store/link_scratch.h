// store/link_scratch.h: where linking keeps what it works on. Linking touches every person,
// request and advice record, so nothing of that size is held in memory: the records are
// read from the store in the order each step needs, the step's working rows (each person
// record's match keys, its cluster, each cluster's person_key) are kept in the store's
// scratch tables, and the links are written as they are made. Only the union-find over
// person records is in memory (link/clusters.h), a few bytes per record.
//
// The steps, in the order the linker calls them (link/linker.cpp); the store replaces the
// links with what was added only at save(), in one transaction.
//
// The records handed to the linker come without their extras (store::Extras::skipped):
// linking reads their fields only.
//
// Only what changed (issue 11): when the store knows which records changed since the last
// linking, step 0 narrows every later step to the people, requests and advice those
// records could touch, and save() replaces only their links. The links of everyone else
// stand: what they were linked from is unchanged, and nothing of theirs shares a key with
// a changed record (link/linker.h says why that gives what linking everything gives).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sendhub/records.h"
#include "store/link_types.h"

namespace sendhub {

// A person record as clustering compares it: per strong identifier its valid normalised
// value, per match rule its key and tie-breaker ("" = none); its best identifier for a
// person_key and that identifier's rank (lower is better: a cluster's key comes from its
// best-ranked record, or from its root's name and birth date when none has an identifier);
// its normalised postcode; its valid normalised NHS number (advice finds its person by it).
// Every node has as many strong values, keys and ties as the first.
struct LinkNode {
  std::string source, person_ref;
  std::vector<std::string> strong, keys, ties;
  std::string best;
  int best_rank = 0;
  std::string postcode, nhs_number;
};

// A cluster root as a person_key is chosen for it: its best identifier, whether another
// root has the same (two people told apart by the root record's postcode, source and ref).
struct LinkRoot {
  std::uint32_t root = 0;
  std::string best;
  bool shared = false;
  std::string postcode, source, person_ref;
};

// A request as its case is found: its plan's start date stands in for a missing received date.
struct CaseRequest {
  std::string source, request_ref, received_date, plan_start;
};

// A request another record may point at, as advice is linked to it.
struct LinkedRequest {
  std::string source, request_ref, person_key;
};

class LinkScratch {
 public:
  virtual ~LinkScratch() = default;

  // 0. Whether the store knows what changed since the last linking; if so, the person and
  //    advice records among the changes (those still present), for the linker to hand back
  //    each one's keys: a person record's node, an advice record's normalised NHS number.
  //    narrow() then limits the later steps to everything reachable from the changes
  //    through shared keys, references and earlier links, and says how many person records
  //    that is; it returns -1, and narrows nothing, when that would be most of them.
  virtual bool knows_changes() = 0;
  virtual void each_changed(const std::function<void(const Record&)>& visit) = 0;
  virtual void add_changed_person(const LinkNode& node) = 0;
  virtual void add_changed_advice(const Record& advice, const std::string& nhs_number) = 0;
  virtual std::int64_t narrow() = 0;

  // 1. Person records in (source, person_ref) order; the linker adds a node for each, in
  //    that order (node numbers count from 0). person_records() says how many there are.
  virtual std::int64_t person_records() = 0;
  virtual void each_person(const std::function<void(const Record&)>& visit) = 0;
  virtual void add_node(const LinkNode& node) = 0;
  // 2. For match rule `rule`, each run of nodes with the same complete key, in key order
  //    and node order within a run: (node, tie-breaker).
  virtual void each_bucket(std::size_t rule, const std::function<void(std::vector<std::pair<std::uint32_t, std::string>>&)>& visit) = 0;
  // 3. Each node's cluster root and the rule that first joined it ("" = single).
  virtual void set_root(std::uint32_t node, std::uint32_t root, const std::string& rule) = 0;
  // 4. Roots in root order, with their best identifier (the best of the lowest-ranked
  //    record, the root's first among equals); then each root's person_key.
  virtual void each_root(const std::function<void(const LinkRoot&)>& visit) = 0;
  virtual void set_person_key(std::uint32_t root, const std::string& person_key) = 0;
  // 5. Requests grouped by the person their person_ref names (link.person_sources), person
  //    by person; the unlinked ones come with person_key "".
  virtual void each_person_requests(const std::function<void(const std::string& person_key, std::vector<CaseRequest>&)>& visit) = 0;
  virtual void add_request_link(const RequestLink& link) = 0;
  // 6. Advice records, with what finding their request and person needs.
  virtual void each_advice(const std::function<void(const Record&)>& visit) = 0;
  virtual std::vector<LinkedRequest> requests_with_ref(const std::string& request_ref) = 0;   // in store order
  virtual std::string person_with_nhs(const std::string& nhs_number) = 0;   // valid, normalised; "" = none
  // The person's request received latest on or before `date` (first in store order on a tie).
  virtual std::optional<LinkedRequest> latest_request(const std::string& person_key, const std::string& date) = 0;
  // nhs_number: the advice's, normalised (what the next linking finds it by).
  virtual void add_advice_link(const AdviceLink& link, const Record& advice, const std::string& nhs_number) = 0;
  // 7. Each cluster in root order: its person records (node order) and its linked advice.
  virtual void each_cluster(const std::function<void(const std::string& person_key, std::vector<Record>& persons,
                                                     std::vector<Record>& advice)>& visit) = 0;
  virtual void add_linked(const LinkedPerson& person) = 0;
  virtual void add_conflict(const LinkConflict& conflict) = 0;
  // 8. Replaces the links with those added (narrowed: the links of what was narrowed to),
  //    touching only rows that differ, indexes the dataset for sinks, keeps each record's
  //    keys for the next linking and records that the links describe data_version; returns
  //    how many rows changed. Until then the links stored stand.
  virtual std::int64_t save(std::int64_t data_version, const std::map<std::string, std::string>& request_sources) = 0;
  // After save(): every conflict stored, by person_key and field.
  virtual void each_conflict(const std::function<void(const LinkConflict&)>& visit) = 0;
};

}  // namespace sendhub
