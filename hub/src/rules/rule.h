// rules/rule.h: one rule of the catalogue, as loaded from schemas/sen2/rules.json. The
// kinds (what a rule can check) are C++; the instances (which fields, lists, limits)
// are data.
#pragma once

#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "sendhub/records.h"

namespace sendhub {

enum class RuleKind {
  structural,   // enforced by the readers and record_check; listed for completeness
  required, absent, codes, pattern, identifier, one_of, equals, not_in,
  date_order, within_days, age, count, distinct, unique,
};

// A value a rule reads: a field of the rule's record, a field of a related record in the
// same chain ("request.received_date"), or a fact of the return year ("$reference_date").
struct Ref {
  std::optional<RecordKind> kind;   // none: the rule's own record
  std::string field;
  std::string fact;                 // set for $facts
  std::size_t index = 0;            // the field's position in its record (resolved at load)
  bool empty() const { return field.empty() && fact.empty(); }
};

struct Condition {
  enum class Op { in, not_in, present, absent, on_or_before, after, any, all };
  Op op = Op::present;
  Ref ref;
  std::vector<std::string> values;   // in / not_in
  Ref other;                         // on_or_before / after
  std::vector<Condition> children;   // any / all
};

struct Rule {
  std::string id, severity, tag, message;
  RuleKind kind = RuleKind::required;
  std::string kind_name;
  RecordKind record = RecordKind::person;
  std::vector<std::string> fields;          // field / fields
  std::vector<std::size_t> field_at;        // their positions in the record (the child's for distinct)
  std::vector<std::string> lists;           // codes
  std::vector<std::string> values;          // not_in
  std::string pattern_text;
  std::regex pattern;
  std::string algorithm;                    // identifier
  Ref first, then;                          // date_order; within_days from/to
  std::string op;                           // <=, <, ==
  int days = 0;                             // within_days
  std::optional<int> min, max;              // one_of, count, age
  std::optional<RecordKind> child;          // count, distinct
  std::vector<RecordKind> also;             // count: further child kinds counted with `child`
  std::string value;                        // equals (may be a $fact)
  std::vector<Condition> when, child_when;
  std::vector<int> years;                   // the return years it applies to
};

}  // namespace sendhub
