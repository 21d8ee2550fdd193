// return_chain.h: one case of the linked dataset as a SEN2 return of one year reports it,
// by the scope rules of shared/spec/sen2.md §1.3: whether the case is in the return at all,
// whether it is a historical (H) chain, and which of its items the return carries as at
// census day. The same rules whether the case came from a SEN2 file, a case-management
// export or both: a return loaded from a file and written again is unchanged.
#pragma once

#include <string>
#include <vector>

#include "sendhub/plugin.h"

namespace sen2 {

// A case and everything that hangs from it, as the dataset holds it.
struct Chain {
  const sendhub::Record* request = nullptr;
  const sendhub::Record* assessment = nullptr;
  const sendhub::Record* plan = nullptr;
  std::vector<const sendhub::Record*> plan_details, placements, needs, reviews;
  // The case's assessment as the year's own loaded return held it (not merged): an H
  // chain's mediation and tribunal flags are that year's, which the merged record, one
  // per case, cannot hold for every year.
  const sendhub::Record* loaded_assessment = nullptr;
};

enum class Scope { out, in, historical };

// Whether the return of `year` reports the case, and how (sen2.md §1.3):
// - a plan active on census day, or at any time in the period (ceased in it included);
// - a request received, or a decision made (to assess or not, to issue or not), in the period;
// - work ongoing at census day (request or assessment not decided);
// - historical (H): request and assessment decided before the period, or a plan
//   transferred in from another LA, with a plan active in the period;
// - and any case the year's own return, as loaded, reported.
Scope scope_of(const Chain& c, const sendhub::ReturnYear& y);

// The records the return carries for an in-scope case: copies of the dataset's records with
// the items of sen2.md §2.4-2.7 as at census day (an undecided request is A, an H chain keeps
// only its outcomes, its plan and ActivePlans; the latest review on or before census day;
// placements overlapping the period; the mediation and tribunal flags of the period, on an H
// chain too). Origins stay those of the source records. Appended to `out`: a person's chains
// go into one vector, reserved once, not one vector each moved into another.
void render_chain(const Chain& c, Scope scope, const sendhub::ReturnYear& y, std::vector<sendhub::Record>& out);

// The date that orders a person's cases: received date, else the plan's start.
std::string chain_date(const Chain& c);

}  // namespace sen2
