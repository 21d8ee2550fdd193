#include "rules/rule_catalogue.h"

#include <Poco/JSON/Array.h>

#include <algorithm>
#include <map>

#include "rules/json_file.h"

namespace sendhub {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

const std::map<std::string, RuleKind> kRuleKinds = {
    {"structural", RuleKind::structural}, {"required", RuleKind::required}, {"absent", RuleKind::absent},
    {"codes", RuleKind::codes},           {"pattern", RuleKind::pattern},   {"identifier", RuleKind::identifier},
    {"one_of", RuleKind::one_of},         {"equals", RuleKind::equals},     {"not_in", RuleKind::not_in},
    {"date_order", RuleKind::date_order}, {"within_days", RuleKind::within_days}, {"age", RuleKind::age},
    {"count", RuleKind::count},           {"distinct", RuleKind::distinct}, {"unique", RuleKind::unique}};
const std::vector<std::string> kFacts = {"$reference_date", "$period_start", "$period_end", "$la_code"};
const std::vector<std::string> kAlgorithms = {"upn_check_letter", "upn_la", "upn_shape", "uln", "postcode", "nhs_number"};

class Loader {
 public:
  Loader(std::string file, const CodeLists& codes) : file_(std::move(file)), codes_(codes) {}

  Rule rule(const Object& o) {
    Rule r;
    r.id = o.getValue<std::string>("id");
    id_ = r.id;
    r.severity = o.getValue<std::string>("severity");
    if (r.severity != "error" && r.severity != "query") bad("severity", "must be error or query");
    r.tag = o.optValue<std::string>("tag", "");
    r.message = o.getValue<std::string>("message");
    r.kind_name = o.getValue<std::string>("kind");
    auto k = kRuleKinds.find(r.kind_name);
    if (k == kRuleKinds.end()) bad("kind", "unknown rule kind " + r.kind_name);
    r.kind = k->second;
    if (r.kind == RuleKind::structural) return r;
    r.record = kind_named(o.getValue<std::string>("record"));
    if (o.has("field")) r.fields.push_back(o.getValue<std::string>("field"));
    for (const auto& f : strings(o.getArray("fields"))) r.fields.push_back(f);
    if (o.has("child")) r.child = kind_named(o.getValue<std::string>("child"));
    for (const auto& name : strings(o.getArray("or_children"))) r.also.push_back(kind_named(name));
    // A distinct rule's field is a field of the child records it compares.
    for (const auto& f : r.fields) r.field_at.push_back(ref(r.kind == RuleKind::distinct ? *r.child : r.record, f).index);
    r.lists = strings(o.getArray("lists"));
    for (const auto& l : r.lists)
      if (!codes_.has_list(l)) bad("lists", "no code list named " + l);
    r.values = strings(o.getArray("values"));
    r.pattern_text = o.optValue<std::string>("pattern", "");
    if (!r.pattern_text.empty()) r.pattern = std::regex(r.pattern_text);
    r.algorithm = o.optValue<std::string>("algorithm", "");
    if (r.kind == RuleKind::identifier &&
        std::find(kAlgorithms.begin(), kAlgorithms.end(), r.algorithm) == kAlgorithms.end())
      bad("algorithm", "unknown identifier algorithm " + r.algorithm);
    for (const char* key : {"first", "from", "birth"})
      if (o.has(key)) r.first = ref(r.record, o.getValue<std::string>(key));
    for (const char* key : {"then", "to", "at"})
      if (o.has(key)) r.then = ref(r.record, o.getValue<std::string>(key));
    r.op = o.optValue<std::string>("op", "<=");
    r.days = o.optValue<int>("days", 0);
    if (o.has("min")) r.min = o.getValue<int>("min");
    if (o.has("max")) r.max = o.getValue<int>("max");
    r.value = o.optValue<std::string>("value", "");
    r.when = conditions(o.getArray("when"), r.record);
    if (r.child) r.child_when = conditions(o.getArray("child_when"), *r.child);
    return r;
  }

 private:
  [[noreturn]] void bad(const std::string& key, const std::string& msg) const {
    throw Error(Where{file_, 0, ""}, id_ + "." + key, "schema", msg);
  }

  static std::vector<std::string> strings(const Array::Ptr& arr) {
    std::vector<std::string> out;
    for (std::size_t i = 0; arr && i < arr->size(); ++i) out.push_back(arr->getElement<std::string>(static_cast<unsigned>(i)));
    return out;
  }

  RecordKind kind_named(const std::string& name) const {
    for (const auto& k : sendhub::kKinds)
      if (k.name == name) return k.kind;
    bad("record", "unknown record kind " + name);
  }

  // "field", "kind.field" or "$fact"; every field must exist in its record kind.
  Ref ref(RecordKind own, const std::string& text) const {
    Ref r;
    if (!text.empty() && text[0] == '$') {
      if (std::find(kFacts.begin(), kFacts.end(), text) == kFacts.end()) bad("ref", "unknown fact " + text);
      r.fact = text;
      return r;
    }
    auto dot = text.find('.');
    RecordKind kind = own;
    r.field = text;
    if (dot != std::string::npos) {
      kind = kind_named(text.substr(0, dot));
      r.kind = kind;
      r.field = text.substr(dot + 1);
    }
    const int at = field_index(kind, r.field);
    if (at < 0) bad("field", "no field " + text + " in the record");
    r.index = static_cast<std::size_t>(at);
    return r;
  }

  std::vector<Condition> conditions(const Array::Ptr& arr, RecordKind own) const {
    std::vector<Condition> out;
    for (std::size_t i = 0; arr && i < arr->size(); ++i) out.push_back(condition(*arr->getObject(static_cast<unsigned>(i)), own));
    return out;
  }

  Condition condition(const Object& o, RecordKind own) const {
    Condition c;
    for (const char* group : {"any", "all"})
      if (o.has(group)) {
        c.op = group[1] == 'n' ? Condition::Op::any : Condition::Op::all;
        c.children = conditions(o.getArray(group), own);
        return c;
      }
    c.ref = ref(own, o.getValue<std::string>("field"));
    if (o.has("in")) c.op = Condition::Op::in, c.values = strings(o.getArray("in"));
    else if (o.has("not_in")) c.op = Condition::Op::not_in, c.values = strings(o.getArray("not_in"));
    else if (o.has("present")) c.op = o.getValue<bool>("present") ? Condition::Op::present : Condition::Op::absent;
    else if (o.has("absent")) c.op = o.getValue<bool>("absent") ? Condition::Op::absent : Condition::Op::present;
    else if (o.has("on_or_before")) c.op = Condition::Op::on_or_before, c.other = ref(own, o.getValue<std::string>("on_or_before"));
    else if (o.has("after")) c.op = Condition::Op::after, c.other = ref(own, o.getValue<std::string>("after"));
    else bad("when", "a condition needs in, not_in, present, absent, on_or_before, after, any or all");
    return c;
  }

  std::string file_, id_;
  const CodeLists& codes_;
};

}  // namespace

RuleCatalogue::RuleCatalogue(const std::string& schemas_dir) : codes_(schemas_dir + "/sen2/codes.json") {
  const std::string file = schemas_dir + "/sen2/rules.json";
  auto years = read_json_object(file)->getObject("years");
  Loader load(file, codes_);
  // A year comes after the one it inherits, which may be a later year (2023 inherits 2024).
  std::vector<std::pair<std::string, Object::Ptr>> order;
  for (std::size_t pass = 0; order.size() < years->size() && pass <= years->size(); ++pass)
    for (const auto& entry : *years) {   // no structured binding: lambdas capture it (C++17, clang)
      const std::string& year_text = entry.first;
      auto y = entry.second.extract<Object::Ptr>();
      const bool done = std::any_of(order.begin(), order.end(), [&](const auto& o) { return o.first == year_text; });
      const std::string parent = y->has("inherit") ? y->get("inherit").toString() : "";
      if (!done && (parent.empty() || std::any_of(order.begin(), order.end(), [&](const auto& o) { return o.first == parent; })))
        order.emplace_back(year_text, y);
    }
  if (order.size() < years->size()) throw Error(Where{file, 0, ""}, "inherit", "schema", "a year inherits one that is missing, or in a loop");
  for (const auto& entry : order) {
    const std::string& year_text = entry.first;
    const Object::Ptr& y = entry.second;
    const int year = std::stoi(year_text);
    std::vector<Rule> rules;
    if (y->has("inherit")) rules = by_year_.at(y->getValue<int>("inherit"));
    auto each = [&](const char* key, auto fn) {
      auto arr = y->getArray(key);
      for (std::size_t i = 0; arr && i < arr->size(); ++i) fn(arr->get(static_cast<unsigned>(i)));
    };
    const std::string year_name = year_text;  // a structured binding cannot be captured before C++20 everywhere
    auto find = [&](const std::string& id) {
      auto it = std::find_if(rules.begin(), rules.end(), [&](const Rule& r) { return r.id == id; });
      if (it == rules.end()) throw Error(Where{file, 0, ""}, id, "schema", "no rule " + id + " to change or remove in " + year_name);
      return it;
    };
    each("rules", [&](const Poco::Dynamic::Var& v) { rules.push_back(load.rule(*v.extract<Object::Ptr>())); });
    each("add", [&](const Poco::Dynamic::Var& v) { rules.push_back(load.rule(*v.extract<Object::Ptr>())); });
    each("remove", [&](const Poco::Dynamic::Var& v) { rules.erase(find(v.convert<std::string>())); });
    each("change", [&](const Poco::Dynamic::Var& v) {
      auto change = v.extract<Object::Ptr>();
      auto it = find(change->getValue<std::string>("id"));
      if (change->has("severity")) it->severity = change->getValue<std::string>("severity");
      if (change->has("message")) it->message = change->getValue<std::string>("message");
      if (change->has("tag")) it->tag = change->getValue<std::string>("tag");
    });
    for (auto& r : rules) r.years.clear();
    by_year_[year] = std::move(rules);
  }
  // Which years each rule (by id, as it stands in the newest year) applies to.
  for (auto& [year, rules] : by_year_)
    for (auto& r : rules)
      for (const auto& [y, others] : by_year_)
        if (std::any_of(others.begin(), others.end(), [&](const Rule& o) { return o.id == r.id; })) r.years.push_back(y);
}

const std::vector<Rule>& RuleCatalogue::rules(int year) const {
  auto it = by_year_.find(year);
  if (it == by_year_.end())
    throw Error(Where{}, "year", "rules.year", "no SEN2 rules for return year " + std::to_string(year));
  return it->second;
}

std::vector<int> RuleCatalogue::years() const {
  std::vector<int> out;
  for (const auto& [y, unused] : by_year_) out.push_back(y);
  return out;
}

}  // namespace sendhub
