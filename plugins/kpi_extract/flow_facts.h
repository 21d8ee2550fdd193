// flow_facts.h: what one person's records say to the flow measures (measures.md §2) that
// does not depend on the period: each measured record's date, whether it is excluded or in
// time, and its breakdown values; each case's mediation and tribunal dates; each request's
// received date. The KPI sink adds a person to a dozen periods (the current one, the
// back-filled quarter ends, the compared calendar years); worked out once per person, each
// period then only compares dates.
#pragma once

#include <array>
#include <string>
#include <vector>

#include "kpi_model.h"

namespace kpi {

struct Flow;

struct FlowFacts {
  // One record a flow measure counts, when its date falls in the period.
  struct Counted {
    std::size_t flow;          // index into the flows it was worked out for
    const std::string* date;   // the record's own field: lives as long as the person's group
    bool excluded;             // a timed measure without both dates: counted in excluded_<id>
    bool in_time;              // a rate's numerator
    std::size_t first_value;   // its breakdown values: values[first_value, + the flow's breakdowns)
  };
  // A case's mediation or tribunal dates by stage (request, assessment, other); "" none.
  struct Appeal {
    bool tribunal;
    std::array<std::string, 3> dates;
  };

  FlowFacts(const std::vector<Flow>& flows, const Model& m);

  std::vector<Counted> counted;
  std::vector<std::string> values;
  std::vector<Appeal> appeals;
  std::vector<const std::string*> received;   // requests' received dates, historical ones left out
};

}  // namespace kpi
