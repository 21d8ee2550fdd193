// link/linker.h: one SEND dataset from many sources. Person records are clustered by the
// link rules (strong identifiers first, then folded name and birth date), never joining
// two clusters whose valid strong identifiers disagree; requests join their person through
// person_ref, advice its request through request_ref (or its person through the NHS
// number and the nearest open request). Each cluster gets a person_key and resolved
// values chosen by precedence; every disagreement between sources is a conflict.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "link/link_rules.h"
#include "link/packed_record.h"
#include "sendhub/records.h"
#include "store/link_types.h"

namespace sendhub {

struct LinkInput {
  std::vector<PackedRecord> persons, requests, advice, plans;
  std::map<std::string, std::string> connector_of;     // source name -> connector name
  std::map<std::string, std::string> person_sources;   // source -> the source its person_refs name
  std::map<std::string, std::vector<std::string>> precedence;   // hub override: field -> source names
  std::string salt;
};

LinkSet link_records(const LinkInput& input, const LinkRules& rules);

}  // namespace sendhub
