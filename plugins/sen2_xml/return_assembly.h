// return_assembly.h: the SEN2 return of one year assembled from the whole linked dataset
// (every source at once), one person at a time: each person with the cases the return
// reports (return_chain.h), in a stable order. The same dataset gives the same persons in
// the same order, whichever sources it came from.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "return_chain.h"
#include "sendhub/plugin.h"

namespace sen2 {

struct AssemblyCounts {
  long persons = 0, chains = 0, historical = 0;
  long cases_seen = 0, cases_out_of_scope = 0, unlinked_cases = 0;
};

class ReturnAssembly {
 public:
  ReturnAssembly(const sendhub::SinkContext& ctx, const sendhub::ReturnYear& year);
  // Calls `person` with each person's group (the person record, then each reported chain's
  // records), persons in order: those the year's loaded return reported first, in its
  // order, then the others by person_key.
  void each(const std::function<void(std::vector<sendhub::Record>&)>& person);
  const AssemblyCounts& counts() const { return counts_; }

 private:
  const sendhub::SinkContext& ctx_;
  sendhub::ReturnYear year_;
  std::map<std::string, const sendhub::Record*> people_;
  std::map<std::string, std::vector<Chain>> chains_;   // person_key -> cases
  AssemblyCounts counts_;
};

}  // namespace sen2
