// readiness.h: the inspection lists' readiness report, as the SEN2 return has one: every issue
// Data to Insight's rules found (list, Unique ID, column, rule, severity, what to fix, and the
// source, file and line of the record behind the cell), as CSV and as a page people open in a
// browser. No value of a cell is in it: the Unique ID is the person_key.
#pragma once

#include <string>
#include <vector>

#include "list_rules.h"

namespace inspection {

struct ReadinessCounts {
  long list1 = 0, list2 = 0, errors = 0, queries = 0;
};

void write_readiness(sendhub::SinkContext& ctx, const std::string& dir, const std::string& as_at,
                     const std::vector<ListIssue>& issues, const ReadinessCounts& counts);

}  // namespace inspection
