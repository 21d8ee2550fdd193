// link/dataset.h: the one SEND dataset as sinks see it, made one group at a time from what
// the store holds (Store::each_group): linked and de-duplicated. The person's resolved
// values (person_ref is the key); one request per case, its fields merged by precedence
// (request_ref is the winning source's reference, person_ref the person_key); each case's
// assessment, plan and review merged the same way; its placements, needs, plan details and
// reviews from the best source that has them; advice pointing at its case.
#pragma once

#include <algorithm>
#include <vector>

#include "link/precedence.h"
#include "sendhub/plugin.h"
#include "store/store.h"

namespace sendhub {

// `loaded_years`: the return years whose raw records also go into PersonGroup::loaded (moved
// out of `stored`, in its order: those loaded_in them).
PersonGroup make_person_group(StoredGroup& stored, const Precedence& precedence, const std::vector<int>& loaded_years);

// Whether a stored record belongs in PersonGroup::loaded for these years: a record of a return
// year (return_year > 0) among them.
inline bool loaded_in(const Record& r, const std::vector<int>& loaded_years) {
  return r.return_year > 0 && std::find(loaded_years.begin(), loaded_years.end(), r.return_year) != loaded_years.end();
}

}  // namespace sendhub
