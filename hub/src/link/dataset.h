// link/dataset.h: the one SEND dataset as sinks see it: linked and de-duplicated. One
// person per person_key (person_ref is the key); one request per case, its fields merged by
// precedence (request_ref is the winning source's reference, person_ref the person_key);
// each case's assessment, plan and review merged the same way; its placements, needs and
// plan details from the best source that has them; advice pointing at its case.
#pragma once

#include <map>
#include <vector>

#include "link/precedence.h"
#include "store/store.h"

namespace sendhub {

using Dataset = std::map<RecordKind, std::vector<Record>>;

// request_sources: source -> the source whose requests its child records' request_refs
// name (interfaces.md §3, link.request_sources; default: their own source).
Dataset build_dataset(Store& store, const Precedence& precedence,
                      const std::map<std::string, std::string>& request_sources = {});

}  // namespace sendhub
