// records/code_check.h: the code lists a canonical field's values must come from, read from
// the rule catalogue's code rules of the newest return year (one table for `sendhub fields`
// and for the store's door). At the door it checks records that did not come from a SEN2
// return file: casework and feeds, whichever plugin wrote them. A return file's codes are
// the validator's business (reported, as DfE's own validation does, not dropped).
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "rules/rule_catalogue.h"

namespace sendhub {

class CodeCheck {
 public:
  explicit CodeCheck(const std::string& schemas_dir);
  // (kind, field) -> the code lists its values must come from.
  const std::map<std::pair<RecordKind, std::string>, std::vector<std::string>>& lists() const { return lists_; }
  std::vector<std::string> values(const std::string& list) const { return catalogue_.codes().values(list, year_); }
  // Throws Error (record.code) naming the field and its lists, never the value.
  void check(const Record& r) const;

 private:
  RuleCatalogue catalogue_;
  int year_;
  std::map<std::pair<RecordKind, std::string>, std::vector<std::string>> lists_;
};

}  // namespace sendhub
