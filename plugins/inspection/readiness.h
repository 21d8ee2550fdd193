// readiness.h: the inspection lists' readiness report, as the SEN2 return has one: every issue
// Data to Insight's rules found (list, Unique ID, column, rule, severity, what to fix, and the
// source, file and line of the record behind the cell), as CSV and as a page people open in a
// browser. No value of a cell is in it: the Unique ID is the person_key. Written as the issues
// come, never held: the CSV row by row, the page's rows in a sorted spill until the counts its
// head states are known (a national run finds hundreds of thousands).
#pragma once

#include <map>
#include <memory>
#include <string>
#include <utility>

#include "list_rules.h"
#include "sorted_spill.h"

namespace inspection {

struct ReadinessCounts {
  long list1 = 0, list2 = 0, errors = 0, queries = 0;
};

class Readiness {
 public:
  Readiness(sendhub::SinkContext& ctx, std::string dir);
  void add(const ListIssue& issue);
  long errors() const { return errors_; }
  long queries() const { return queries_; }
  // Writes the page and commits both files; counts.errors and .queries are this report's.
  void finish(const std::string& as_at, const ReadinessCounts& counts);

 private:
  sendhub::SinkContext& ctx_;
  std::string dir_;
  std::unique_ptr<sendhub::OutputFile> csv_;
  plugin_support::SortedSpill rows_;   // the page's issue rows, in the order found
  // Per rule: how many rows, and the severity and message of the last (the page's summary).
  std::map<std::string, std::pair<long, std::pair<std::string, std::string>>> by_rule_;
  long errors_ = 0, queries_ = 0;
};

}  // namespace inspection
