#include "pipeline/validate_store.h"

#include <filesystem>

namespace sendhub {

std::int64_t StoreValidation::errors(int year) const {
  auto it = issues.find(year);
  if (it == issues.end()) return 0;
  std::int64_t n = 0;
  for (const auto& i : it->second) n += i.severity == "error" ? 1 : 0;
  return n;
}

std::int64_t StoreValidation::count(const std::string& severity) const {
  std::int64_t n = 0;
  for (const auto& [year, list] : issues)
    for (const auto& i : list) n += i.severity == severity ? 1 : 0;
  return n;
}

StoreValidation validate_store(Store& store, const std::string& schemas_dir, const std::string& la_code,
                               int only_year) {
  StoreValidation result;
  if (!std::filesystem::exists(schemas_dir + "/sen2/rules.json")) return result;
  RuleCatalogue catalogue(schemas_dir);
  ElementNames names(schemas_dir);
  for (int year : store.return_years()) {
    if ((only_year && year != only_year) || !catalogue.has_year(year)) continue;
    Validator validator(catalogue, names, year, year_facts(schemas_dir, year, la_code));
    auto& out = result.issues[year];
    std::map<RecordKind, std::vector<Record>> all;
    for (const auto& k : kKinds) all[k.kind] = store.read(k.kind, year);
    if (!all[RecordKind::la_return].empty()) validator.check({all[RecordKind::la_return].front()}, out);
    // Each person's chain: its requests, then everything hanging from those requests.
    std::map<std::string, std::vector<const Record*>> by_person, by_request;
    for (const auto& r : all[RecordKind::request]) by_person[r.get("person_ref")].push_back(&r);
    for (const auto& [kind, records] : all)
      if (kind != RecordKind::request && kind != RecordKind::person && field_index(kind, "request_ref") >= 0)
        for (const auto& r : records) by_request[r.get("request_ref")].push_back(&r);
    for (const auto& person : all[RecordKind::person]) {
      std::vector<Record> group{person};
      for (const Record* req : by_person[person.get("person_ref")]) {
        group.push_back(*req);
        for (const Record* r : by_request[req->get("request_ref")]) group.push_back(*r);
      }
      validator.check(group, out);
    }
  }
  return result;
}

}  // namespace sendhub
