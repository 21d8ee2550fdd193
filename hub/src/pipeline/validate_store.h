// pipeline/validate_store.h: the rule catalogue over the store, per SEN2 return year:
// the same rules and the same groups (header, then each Person with its chain) as
// `sendhub validate` runs over a file. Persons are streamed from the store and issues
// streamed out in batches, so memory does not grow with the return.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "rules/validator.h"
#include "store/store.h"

namespace sendhub {

struct IssueCounts {
  std::int64_t errors = 0, queries = 0;
  bool reused = false;   // the year had not changed: the last validation's issues stand
};

struct StoreValidation {
  std::map<int, IssueCounts> years;
  std::int64_t errors(int year) const;
  std::int64_t count(const std::string& severity) const;
};

// Called with each batch of issues of a year; `first` is true for the year's first batch
// (which may be empty).
using IssueBatch = std::function<void(int year, const std::vector<Issue>& batch, bool first)>;

// Years 0 = every year the store holds. Returns nothing when schemas/ has no catalogue.
// Issues go to `out` every `batch` issues (and at the end of each year).
StoreValidation validate_store(Store& store, const std::string& schemas_dir, const std::string& la_code,
                               int only_year, const IssueBatch& out, std::size_t batch = 4096);

}  // namespace sendhub
