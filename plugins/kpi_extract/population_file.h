// population_file.h: the resident populations the prevalence measures divide by, read from a
// CSV of two columns with a header row — "age,population" (population_file) or
// "ward,population" (ward_population_file) — one reader for both.
#pragma once

#include <map>
#include <string>

namespace kpi {

// Key -> its population (rows with the same key add up; blank lines skipped). Throws
// sendhub::Error naming the file, the line, `setting` and the rule kpi.population, with `shape`
// ("rows must be <shape>") for a row that is not key,whole number — never the row's values.
std::map<std::string, long> read_population(const std::string& file, const std::string& setting, const std::string& shape);

}  // namespace kpi
