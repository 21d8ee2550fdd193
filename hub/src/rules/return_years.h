// rules/return_years.h: the facts of each SEN2 return year (schemas/sen2/years.json):
// census day and collection period. The one reader of that file; plugins ask the host.
#pragma once

#include <optional>
#include <string>

#include "sendhub/plugin.h"   // ReturnYear: one struct for host and plugins

namespace sendhub {

// From years.json; a year it does not list has no facts.
std::optional<ReturnYear> return_year(const std::string& schemas_dir, int year);

// The census day of a year: years.json, else the third Thursday of January (sen2.md §1.2).
std::string census_day(const std::string& schemas_dir, int year);

}  // namespace sendhub
