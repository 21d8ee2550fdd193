#include "list_rules.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

namespace inspection {

std::optional<int> age_at(const std::string& birth, const std::string& d) {
  if (birth.size() != 10 || d.size() != 10) return std::nullopt;
  int age = std::stoi(d.substr(0, 4)) - std::stoi(birth.substr(0, 4));
  if (d.substr(5) < birth.substr(5)) --age;   // MM-DD compared as text
  return age;
}

ListRules::ListRules(const std::string& schemas_dir, std::string as_at) : d_(std::move(as_at)) {
  const std::string file = schemas_dir + "/inspection/rules.json";
  auto o = read_schema(file, "the inspection lists' rules");
  for (const auto& v : *o->getArray("rules")) {
    auto r = v.extract<Poco::JSON::Object::Ptr>();
    Rule rule{r->getValue<std::string>("id"), r->getValue<std::string>("kind"), r->getValue<std::string>("severity"),
              r->getValue<std::string>("message"), r->optValue<std::string>("column", ""), r->optValue<std::string>("before", ""),
              r->optValue<std::string>("after", ""), {}, r->optValue<long>("min", 0), r->optValue<long>("max", 0)};
    if (auto cols = r->getArray("columns"))
      for (const auto& c : *cols) rule.columns.push_back(c.convert<std::string>());
    static const std::set<std::string> kKinds = {"missing", "age", "future_date", "date_order", "identifier_from_age",
                                                  "establishment_for_ages", "subsidiary_without_main", "unique"};
    if (!kKinds.count(rule.kind))
      throw sendhub::Error(sendhub::Where{file, 0, rule.id}, "kind", "schema", "rule " + rule.id + ": unknown kind " + rule.kind);
    rules_.push_back(std::move(rule));
  }
}

// Whether the row breaks the rule; *column: the heading to fix.
bool ListRules::fails(const Rule& r, const ListRow& row, std::string* column) {
  const auto age = age_at(row.birth_iso, d_);
  *column = r.column;
  if (r.kind == "missing") return row.cells.count(r.column) && row.at(r.column).value.empty();
  if (r.kind == "age") return (*column = "Date of birth", age && *age >= r.min && *age <= r.max);
  if (r.kind == "future_date") {
    for (const auto& c : r.columns)
      if (!row.at(c).iso.empty() && row.at(c).iso > d_) return (*column = c, true);
    return false;
  }
  if (r.kind == "date_order") {
    const std::string &before = row.at(r.before).iso, &after = row.at(r.after).iso;
    return (*column = r.before, !before.empty() && !after.empty() && before > after);
  }
  if (r.kind == "identifier_from_age")
    return (*column = "UPN", age && *age >= r.min && row.at("UPN").value.empty() && row.at("ULN").value.empty());
  if (r.kind == "establishment_for_ages")
    return (*column = "Main education establishment – URN",
            age && *age >= r.min && *age <= r.max && row.at(*column).value.empty() && row.at("Elective home education").value != "Yes");
  if (r.kind == "subsidiary_without_main")
    return (*column = "Main education establishment – URN",
            row.at("Subsidiary education establishment – phase (dual registration)").from.has_value() && row.at(*column).value.empty());
  // unique
  const std::string& value = row.at(r.column).value;
  return !value.empty() && !seen_.insert(std::to_string(row.list) + "|" + r.id + "|" + value);
}

std::vector<ListIssue> ListRules::check(const ListRow& row) {
  std::vector<ListIssue> out;
  for (const auto& r : rules_) {
    std::string column;
    if (!fails(r, row, &column)) continue;
    ListIssue i{r.id, r.severity, r.message, column, row.list, row.at("Unique ID").value, "", "", 0};
    if (const auto at = i.message.find("{column}"); at != std::string::npos) i.message.replace(at, 8, column);
    if (const auto& from = row.at(column).from) {
      i.source = from->source;
      i.file = from->file;
      i.line = from->line;
    }
    out.push_back(std::move(i));
  }
  return out;
}

}  // namespace inspection
