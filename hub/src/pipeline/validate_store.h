// pipeline/validate_store.h: the rule catalogue over the store, per SEN2 return year:
// the same rules and the same groups (header, then each Person with its chain) as
// `sendhub validate` runs over a file.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "rules/validator.h"
#include "store/store.h"

namespace sendhub {

struct StoreValidation {
  std::map<int, std::vector<Issue>> issues;   // by return year
  std::int64_t errors(int year) const;
  std::int64_t count(const std::string& severity) const;
};

// Years 0 = every year the store holds. Returns nothing when schemas/ has no catalogue.
StoreValidation validate_store(Store& store, const std::string& schemas_dir, const std::string& la_code,
                               int only_year = 0);

}  // namespace sendhub
