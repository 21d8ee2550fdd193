// rules/rule_catalogue.h: the rule catalogue per return year. Each year inherits the
// previous one and adds, changes (by id) and removes rules, so a year's differences are
// data that can be read. Loading checks every field and code list a rule names.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "rules/code_lists.h"
#include "rules/rule.h"

namespace sendhub {

class RuleCatalogue {
 public:
  explicit RuleCatalogue(const std::string& schemas_dir);
  const std::vector<Rule>& rules(int year) const;   // throws Error for an unknown year
  std::vector<int> years() const;
  bool has_year(int year) const { return by_year_.count(year) > 0; }
  const CodeLists& codes() const { return codes_; }

 private:
  CodeLists codes_;
  std::map<int, std::vector<Rule>> by_year_;
};

}  // namespace sendhub
