#include "rules/code_lists.h"

#include <Poco/JSON/Array.h>

#include <cstdio>

#include "rules/json_file.h"
#include "sendhub/error.h"

namespace sendhub {
namespace {

std::set<std::string> strings(const Poco::JSON::Array::Ptr& arr) {
  std::set<std::string> out;
  for (std::size_t i = 0; arr && i < arr->size(); ++i) out.insert(arr->getElement<std::string>(static_cast<unsigned>(i)));
  return out;
}

// "201-213" -> 201, 202, ... 213; "420" -> 420.
void expand_range(const std::string& range, std::set<std::string>& out) {
  int lo = 0, hi = 0;
  if (std::sscanf(range.c_str(), "%d-%d", &lo, &hi) != 2) hi = lo = std::stoi(range);
  for (int v = lo; v <= hi; ++v) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "%03d", v);
    out.insert(buf);
  }
}

}  // namespace

CodeLists::CodeLists(const std::string& file) {
  auto root = read_json_object(file);
  auto lists = root->getObject("lists");
  if (!lists) throw Error(Where{file, 0, ""}, "lists", "schema", "no code lists");
  for (const auto& [name, value] : *lists) {
    auto obj = value.extract<Poco::JSON::Object::Ptr>();
    List list;
    list.values = strings(obj->getArray("values"));
    for (const auto& r : strings(obj->getArray("ranges"))) expand_range(r, list.values);
    list.tag = obj->optValue<std::string>("tag", "");
    if (auto years = obj->getObject("years"))
      for (const auto& [year, change] : *years) {
        auto c = change.extract<Poco::JSON::Object::Ptr>();
        list.changes[std::stoi(year)] = {strings(c->getArray("add")), strings(c->getArray("remove"))};
      }
    lists_[name] = std::move(list);
  }
}

std::vector<std::string> CodeLists::values(const std::string& name, int year) const {
  auto it = lists_.find(name);
  if (it == lists_.end()) return {};
  std::set<std::string> v = it->second.values;
  for (const auto& [from, change] : it->second.changes) {
    if (from > year) break;
    v.insert(change.add.begin(), change.add.end());
    for (const auto& r : change.remove) v.erase(r);
  }
  return {v.begin(), v.end()};
}

bool CodeLists::contains(const std::string& name, int year, const std::string& value) const {
  auto it = lists_.find(name);
  if (it == lists_.end()) return false;
  bool in = it->second.values.count(value) > 0;
  for (const auto& [from, change] : it->second.changes) {
    if (from > year) break;
    if (change.add.count(value)) in = true;
    if (change.remove.count(value)) in = false;
  }
  return in;
}

std::string CodeLists::tag(const std::string& name) const {
  auto it = lists_.find(name);
  return it == lists_.end() ? "" : it->second.tag;
}

}  // namespace sendhub
