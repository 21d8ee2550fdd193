#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <iostream>
#include <map>

#include "cli/commands.h"
#include "pipeline/exit_codes.h"
#include "rules/rule_catalogue.h"

namespace sendhub::cli {
namespace {

std::string joined(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ",") + s;
  return out;
}

std::string years_text(const std::vector<int>& years) {
  if (years.empty()) return "";
  return std::to_string(years.front()) + (years.size() > 1 ? "-" + std::to_string(years.back()) : "");
}

}  // namespace

int cmd_rules(const Invocation& inv) {
  RuleCatalogue catalogue(config_named(inv) ? config_for(inv).schemas_dir : default_schemas_dir());
  const int year = year_option(inv, false);
  // Without --year: every rule, as it stands in the newest year it applies to.
  std::map<std::string, Rule> rules;
  for (int y : catalogue.years())
    if (!year || y == year)
      for (const auto& r : catalogue.rules(y)) rules[r.id] = r;
  if (year && !catalogue.has_year(year)) catalogue.rules(year);  // throws the clear error
  if (inv.has("json")) {
    Poco::JSON::Array out;
    for (const auto& [id, r] : rules) {
      Poco::JSON::Object o(Poco::JSON_PRESERVE_KEY_ORDER);
      o.set("id", r.id);
      o.set("severity", r.severity);
      Poco::JSON::Array years;
      for (int y : r.years) years.add(y);
      o.set("years", years);
      o.set("kind", r.kind_name);
      o.set("record", r.kind == RuleKind::structural ? "" : std::string(spec(r.record).name));
      Poco::JSON::Array fields;
      for (const auto& f : r.fields) fields.add(f);
      o.set("fields", fields);
      o.set("tag", r.tag);
      o.set("message", r.message);
      out.add(o);
    }
    out.stringify(std::cout);
    std::cout << "\n";
    return exit_code::ok;
  }
  for (const auto& [id, r] : rules)
    std::cout << r.id << "  " << r.severity << "  " << years_text(r.years) << "  [" << r.tag << "]  " << r.kind_name
              << " " << (r.kind == RuleKind::structural ? "" : std::string(spec(r.record).name)) << " "
              << joined(r.fields) << ": " << r.message << "\n";
  return exit_code::ok;
}

}  // namespace sendhub::cli
