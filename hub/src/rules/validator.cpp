#include "rules/validator.h"

#include "rules/return_years.h"
#include "rules/rule_kinds.h"

namespace sendhub {

std::map<std::string, std::string> year_facts(const std::string& schemas_dir, int year, const std::string& la_code) {
  std::map<std::string, std::string> facts;
  if (auto y = return_year(schemas_dir, year)) {
    facts["$reference_date"] = y->reference_date;
    facts["$period_start"] = y->period_start;
    facts["$period_end"] = y->period_end;
  }
  facts["$la_code"] = la_code;
  return facts;
}

Validator::Validator(const RuleCatalogue& catalogue, const ElementNames& names, int year,
                     std::map<std::string, std::string> facts)
    : catalogue_(catalogue), names_(names), year_(year), facts_(std::move(facts)) {}

void Validator::check(const std::vector<Record>& group, std::vector<Issue>& out) {
  if (!group.empty() && group.front().kind() == RecordKind::la_return) header_ = group;
  Case chain(group, header_.empty() ? nullptr : &header_.front());
  RuleRun run(*this, chain, out);
  // Header rules run on the header group alone: once per file, not once per Person.
  const bool header = !group.empty() && group.front().kind() == RecordKind::la_return;
  for (const Rule& rule : catalogue_.rules(year_))
    if (rule.kind != RuleKind::structural && (rule.record != RecordKind::la_return || header))
      for (const Record* r : chain.of(rule.record)) run.apply(rule, *r);
}

}  // namespace sendhub
