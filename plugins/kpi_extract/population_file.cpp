#include "population_file.h"

#include <cstdint>
#include <fstream>

#include "sendhub/error.h"

namespace kpi {

std::map<std::string, long> read_population(const std::string& file, const std::string& setting, const std::string& shape) {
  std::ifstream in(file);
  if (!in) throw sendhub::Error(sendhub::Where{file, 0, ""}, setting, "kpi.population", "cannot read the file");
  std::map<std::string, long> out;
  std::string line;
  std::getline(in, line);   // header
  for (std::int64_t n = 2; std::getline(in, line); ++n) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    const auto comma = line.find(',');
    const std::string key = comma == std::string::npos ? "" : line.substr(0, comma);
    const std::string people = comma == std::string::npos ? "" : line.substr(comma + 1);
    if (key.empty() || people.empty() || people.size() > 9 || people.find_first_not_of("0123456789") != std::string::npos)
      throw sendhub::Error(sendhub::Where{file, n, ""}, setting, "kpi.population", "rows must be " + shape);
    out[key] += std::stol(people);
  }
  return out;
}

}  // namespace kpi
