// rules/rule_kinds.h: what each kind of rule checks, over one chain of records.
#pragma once

#include <array>
#include <string>
#include <vector>

#include "rules/validator.h"

namespace sendhub {

// One Person's records (or one header), indexed for the lookups rules make.
class Case {
 public:
  Case(const std::vector<Record>& group, const Record* header);
  const std::vector<const Record*>& of(RecordKind kind) const;
  // Records of `kind` that hang from `parent` (all of the chain for a person).
  std::vector<const Record*> children(const Record& parent, RecordKind kind) const;
  // The record of `kind` that `from` belongs to (its person, request, plan...).
  const Record* related(const Record& from, RecordKind kind) const;
  std::string person_ref() const;

 private:
  std::array<std::vector<const Record*>, kKinds.size()> by_kind_;
  const Record* header_;
};

class RuleRun {
 public:
  RuleRun(Validator& v, const Case& chain, std::vector<Issue>& out) : v_(v), case_(chain), out_(out) {}
  void apply(const Rule& rule, const Record& r);

 private:
  const std::string& value(const Ref& ref, const Record& r) const;
  bool holds(const Condition& c, const Record& r) const;
  bool holds_all(const std::vector<Condition>& cs, const Record& r) const;
  void issue(const Rule& rule, const Record& r, const std::string& field, const std::string& detail = "");
  void check_dates(const Rule& rule, const Record& r);
  void check_children(const Rule& rule, const Record& r);
  void check_values(const Rule& rule, const Record& r);
  void check_unique(const Rule& rule, const Record& r);
  std::string identifier_problem(const Rule& rule, const std::string& v) const;

  Validator& v_;
  const Case& case_;
  std::vector<Issue>& out_;
};

}  // namespace sendhub
