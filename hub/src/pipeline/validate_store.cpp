#include "pipeline/validate_store.h"

#include <filesystem>

namespace sendhub {
std::int64_t StoreValidation::errors(int year) const {
  auto it = years.find(year);
  return it == years.end() ? 0 : it->second.errors;
}

std::int64_t StoreValidation::count(const std::string& severity) const {
  std::int64_t n = 0;
  for (const auto& [year, c] : years) n += severity == "error" ? c.errors : c.queries;
  return n;
}

StoreValidation validate_store(Store& store, const std::string& schemas_dir, const std::string& la_code,
                               int only_year, const IssueBatch& out, std::size_t batch_size) {
  StoreValidation result;
  if (!std::filesystem::exists(schemas_dir + "/sen2/rules.json")) return result;
  RuleCatalogue catalogue(schemas_dir);
  ElementNames names(schemas_dir);
  for (int year : store.return_years()) {
    if ((only_year && year != only_year) || !catalogue.has_year(year)) continue;
    Validator validator(catalogue, names, year, year_facts(schemas_dir, year, la_code));
    IssueCounts& counts = result.years[year];
    std::vector<Issue> batch;
    bool first = true;
    auto flush = [&](bool always) {
      if (batch.size() < batch_size && !always) return;
      for (const auto& i : batch) (i.severity == "error" ? counts.errors : counts.queries) += 1;
      out(year, batch, first);
      first = false;
      batch.clear();
    };
    for (const auto& header : store.read(RecordKind::la_return, year)) {
      validator.check({header}, batch);
      break;
    }
    // Each person with their requests and everything hanging from those, streamed.
    store.each_return_person(year, [&](std::vector<Record>& group) {
      validator.check(group, batch);
      flush(false);
    });
    flush(first || !batch.empty());
  }
  return result;
}

}  // namespace sendhub
