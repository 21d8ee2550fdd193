// link/linker.h: one SEND dataset from many sources. Person records are clustered by the
// link rules (strong identifiers first, then folded name and birth date), never joining
// two clusters whose valid strong identifiers disagree; requests join their person through
// person_ref, advice its request through request_ref (or its person through the NHS
// number and the nearest open request). Each cluster gets a person_key and resolved
// values chosen by precedence; every disagreement between sources is a conflict.
//
// Linking streams: records are read from the store and links written to it step by step
// (store/link_scratch.h), with only the union-find in memory (link/clusters.h).
//
// Linking only what changed gives what linking everything gives. Every decision about a
// person record depends only on the records it shares a match key or best identifier with,
// and on theirs in turn (its block): buckets hold records with one key, joins stay within
// a bucket, a root is its cluster's first node and node order is kept. Requests follow
// their person, advice its request or NHS number. So the changed records' blocks, with
// their requests and advice, are linked again as a whole, and everything else stands.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "link/link_rules.h"
#include "store/link_scratch.h"

namespace sendhub {

struct LinkOptions {
  std::map<std::string, std::string> connector_of;     // source name -> connector name
  std::map<std::string, std::vector<std::string>> precedence;   // hub override: field -> source names
  std::string salt;
  bool only_changes = false;   // narrow to what changed, when the store knows it
};

// Of what was linked: everything, or (narrowed) the records reachable from the changes.
struct LinkCounts {
  std::int64_t person_records = 0, people = 0, unlinked_requests = 0, unlinked_advice = 0, conflicts = 0;
  bool narrowed = false;
  std::int64_t changed = 0;   // person and advice records changed since the last linking
};

// Adds every link to the scratch (the caller saves it).
LinkCounts link_dataset(LinkScratch& scratch, const LinkOptions& options, const LinkRules& rules);

}  // namespace sendhub
