// readiness_report.h: what blocks the upload of an assembled return, for the weeks before
// the deadline: return_readiness.csv and return_readiness.html beside the return. A verdict
// first ("ready to upload", or "N errors block the upload, M queries need a note"), then
// per rule its severity, count and what to fix, and every case it names: person_key,
// reference, source, file:line and field. Values are never shown (privacy.md §1).
// A national return can name millions of cases: they wait in sorted spills (temporary
// files), and only a count per rule is held in memory.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "sendhub/plugin.h"
#include "sorted_spill.h"

namespace sen2 {

class ReadinessReport {
 public:
  void add(const std::vector<sendhub::ReturnIssue>& issues);
  long errors() const { return errors_; }
  long queries() const { return queries_; }
  std::string verdict() const;
  // Errors first, then by rule, then by source, file and line.
  void write_csv(sendhub::OutputFile& out) const;
  // A section per rule (errors first), its cases in the order found.
  void write_html(sendhub::OutputFile& out, int year, const std::string& deadline) const;

 private:
  struct Rule {
    std::string severity, rule, message;   // as the rule's first issue said them
    long count = 0;
  };
  std::map<std::string, Rule> rules_;      // by severity order and rule: one entry per rule
  std::map<std::string, long> per_rule_;   // by rule alone
  plugin_support::SortedSpill csv_rows_, html_rows_;
  long errors_ = 0, queries_ = 0;
};

}  // namespace sen2
