#include "list_rules.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <map>

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
    static const std::map<std::string, Kind> kKinds = {
        {"missing", Kind::missing}, {"age", Kind::age}, {"future_date", Kind::future_date},
        {"date_order", Kind::date_order}, {"identifier_from_age", Kind::identifier_from_age},
        {"establishment_for_ages", Kind::establishment_for_ages},
        {"subsidiary_without_main", Kind::subsidiary_without_main}, {"unique", Kind::unique}};
    const auto kind = kKinds.find(rule.kind_name);
    if (kind == kKinds.end())
      throw sendhub::Error(sendhub::Where{file, 0, rule.id}, "kind", "schema", "rule " + rule.id + ": unknown kind " + rule.kind_name);
    rule.kind = kind->second;
    rules_.push_back(std::move(rule));
  }
}

// Whether the row breaks the rule; *column: the heading to fix.
bool ListRules::fails(const Rule& r, const ListRow& row, std::optional<int> age, const std::string** column) {
  static const std::string kBirth = "Date of birth", kUpn = "UPN", kUln = "ULN", kUrn = "Main education establishment – URN",
                           kHome = "Elective home education",
                           kDual = "Subsidiary education establishment – phase (dual registration)";
  *column = &r.column;
  switch (r.kind) {
    case Kind::missing:
      return row.cells.count(r.column) && row.at(r.column).value.empty();
    case Kind::age:
      return (*column = &kBirth, age && *age >= r.min && *age <= r.max);
    case Kind::future_date:
      for (const auto& c : r.columns)
        if (!row.at(c).iso.empty() && row.at(c).iso > d_) return (*column = &c, true);
      return false;
    case Kind::date_order: {
      const std::string &before = row.at(r.before).iso, &after = row.at(r.after).iso;
      return (*column = &r.before, !before.empty() && !after.empty() && before > after);
    }
    case Kind::identifier_from_age:
      return (*column = &kUpn, age && *age >= r.min && row.at(kUpn).value.empty() && row.at(kUln).value.empty());
    case Kind::establishment_for_ages:
      return (*column = &kUrn, age && *age >= r.min && *age <= r.max && row.at(kUrn).value.empty() &&
                                   row.at(kHome).value != "Yes");
    case Kind::subsidiary_without_main:
      return (*column = &kUrn, row.at(kDual).from.has_value() && row.at(kUrn).value.empty());
    case Kind::unique:
      break;
  }
  const std::string& value = row.at(r.column).value;
  return !value.empty() && !seen_.insert(std::to_string(row.list) + "|" + r.id + "|" + value);
}

std::vector<ListIssue> ListRules::check(const ListRow& row) {
  std::vector<ListIssue> out;
  const std::optional<int> age = age_at(row.birth_iso, d_);
  for (const auto& r : rules_) {
    const std::string* heading = nullptr;
    if (!fails(r, row, age, &heading)) continue;
    const std::string& column = *heading;
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
