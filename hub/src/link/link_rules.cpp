#include "link/link_rules.h"

#include <Poco/JSON/Array.h>

#include "rules/json_file.h"
#include "sendhub/records.h"

namespace sendhub {
namespace {

std::vector<std::string> strings(const Poco::JSON::Array::Ptr& a) {
  std::vector<std::string> out;
  for (std::size_t i = 0; a && i < a->size(); ++i) out.push_back(a->getElement<std::string>(static_cast<unsigned>(i)));
  return out;
}

}  // namespace

LinkRules load_link_rules(const std::string& file) {
  auto root = read_json_object(file);
  LinkRules rules;
  auto check = [&](const std::string& field) {
    if (field_index(RecordKind::person, field) < 0)
      throw Error(Where{file, 0, ""}, field, "schema", "no such person field");
  };
  auto strong = root->getArray("strong");
  for (std::size_t i = 0; strong && i < strong->size(); ++i) {
    auto s = strong->getObject(static_cast<unsigned>(i));
    rules.strong.push_back({s->getValue<std::string>("field"), s->optValue<std::string>("valid", "")});
    check(rules.strong.back().field);
  }
  auto list = root->getArray("rules");
  for (std::size_t i = 0; list && i < list->size(); ++i) {
    auto r = list->getObject(static_cast<unsigned>(i));
    MatchRule m{r->getValue<std::string>("id"), strings(r->getArray("match")), r->optValue<std::string>("tie_breaker", "")};
    for (const auto& f : m.match) check(f);
    if (!m.tie_breaker.empty()) check(m.tie_breaker);
    rules.rules.push_back(std::move(m));
  }
  if (auto p = root->getObject("precedence"))
    for (const auto& [field, value] : *p)
      if (field[0] != '_') rules.precedence[field] = strings(value.extract<Poco::JSON::Array::Ptr>());
  return rules;
}

}  // namespace sendhub
