// records/code_check.h: the code lists a canonical field's values must come from, read from
// the rule catalogue's code rules of the newest return year (one table for `sendhub fields`
// and for the store's door). At the door it checks records that did not come from a SEN2
// return file: casework and feeds, whichever plugin wrote them. A return file's codes are
// the validator's business (reported, as DfE's own validation does, not dropped).
#pragma once

#include <array>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "rules/rule_catalogue.h"

namespace sendhub {

class CodeCheck {
 public:
  explicit CodeCheck(const std::string& schemas_dir);
  CodeCheck(const CodeCheck&) = delete;   // by_field_ points into lists_
  CodeCheck& operator=(const CodeCheck&) = delete;
  // (kind, field) -> the code lists its values must come from.
  const std::map<std::pair<RecordKind, std::string>, std::vector<std::string>>& lists() const { return lists_; }
  std::vector<std::string> values(const std::string& list) const { return catalogue_.codes().values(list, year_); }
  // Throws Error (record.code) naming the field and its lists, never the value.
  void check(const Record& r) const;

 private:
  RuleCatalogue catalogue_;
  int year_;
  std::map<std::pair<RecordKind, std::string>, std::vector<std::string>> lists_;
  // The same by kind and field index (nullptr: no list): the door checks every record a
  // casework source stores, and a field's name built and looked up per value was most of it.
  std::array<std::vector<const std::vector<std::string>*>, kKinds.size()> by_field_;
};

}  // namespace sendhub
