// readiness_report.h: what blocks the upload of an assembled return, for the weeks before
// the deadline: return_readiness.csv and return_readiness.html beside the return. A verdict
// first ("ready to upload", or "N errors block the upload, M queries need a note"), then
// per rule its severity, count and what to fix, and every case it names: person_key,
// reference, source, file:line and field. Values are never shown (privacy.md §1).
#pragma once

#include <string>
#include <vector>

#include "sendhub/plugin.h"

namespace sen2 {

class ReadinessReport {
 public:
  void add(std::vector<sendhub::ReturnIssue> issues);
  long errors() const { return errors_; }
  long queries() const { return queries_; }
  std::string verdict() const;
  std::string csv() const;
  std::string html(int year, const std::string& deadline) const;

 private:
  std::vector<sendhub::ReturnIssue> issues_;
  long errors_ = 0, queries_ = 0;
};

}  // namespace sen2
