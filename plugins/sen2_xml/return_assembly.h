// return_assembly.h: the SEN2 return of one year assembled from the whole linked dataset
// (every source at once), streamed one person at a time: each person with the cases the
// return reports (return_chain.h), in a stable order. The same dataset gives the same
// persons in the same order, whichever sources it came from.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "return_chain.h"
#include "sendhub/plugin.h"

namespace sen2 {

struct AssemblyCounts {
  long persons = 0, chains = 0, historical = 0;
  long cases_seen = 0, cases_out_of_scope = 0, unlinked_cases = 0;
};

// One person of the return: the person record, then each reported chain's records; and the
// dataset's person group it was assembled from (with the loaded returns' records).
using AssembledPerson = std::function<void(std::vector<sendhub::Record>& person, const sendhub::PersonGroup& from)>;

class ReturnAssembly {
 public:
  // `loaded_years`: the years whose loaded records each group should carry (the year
  // itself is always among them: its file's order is the return's order).
  ReturnAssembly(sendhub::SinkContext& ctx, const sendhub::ReturnYear& year, std::vector<int> loaded_years = {});
  // Persons in order: those the year's loaded return reported first, in its order, then the
  // others by person_key. `skipped` (optional) sees the groups with nothing in the return.
  void each(const AssembledPerson& person, const std::function<void(const sendhub::PersonGroup&)>& skipped = {});
  const AssemblyCounts& counts() const { return counts_; }
  // One group as the return reports it: empty when the return has nothing of it.
  std::vector<sendhub::Record> assemble(const sendhub::PersonGroup& group);

 private:
  sendhub::SinkContext& ctx_;
  sendhub::ReturnYear year_;
  std::vector<int> loaded_years_;
  AssemblyCounts counts_;
};

}  // namespace sen2
