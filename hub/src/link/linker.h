// link/linker.h: one SEND dataset from many sources. Person records are clustered by the
// link rules (strong identifiers first, then folded name and birth date), never joining
// two clusters whose valid strong identifiers disagree; requests join their person through
// person_ref, advice its request through request_ref (or its person through the NHS
// number and the nearest open request). Each cluster gets a person_key and resolved
// values chosen by precedence; every disagreement between sources is a conflict.
//
// Linking streams: records are read from the store and links written to it step by step
// (store/link_scratch.h), with only the union-find in memory (link/clusters.h).
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
};

struct LinkCounts {
  std::int64_t person_records = 0, people = 0, unlinked_requests = 0, unlinked_advice = 0, conflicts = 0;
};

// Adds every link to the scratch (the caller saves it).
LinkCounts link_dataset(LinkScratch& scratch, const LinkOptions& options, const LinkRules& rules);

}  // namespace sendhub
