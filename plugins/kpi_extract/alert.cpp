#include "alert.h"

#include <cstdlib>
#include <sstream>
#include <vector>

namespace kpi {

std::string Alert::serialise() const {
  std::string out;
  for (const std::string* f : {&case_ref, &person_key, &stage, &step, &due, &threshold, &case_officer, &team})
    out += *f + '\t';
  return out + std::to_string(days_left) + '\t' + (week20_exception ? "1" : "0");
}

Alert Alert::parse(const std::string& line) {
  std::vector<std::string> f;
  std::istringstream in(line);
  for (std::string field; std::getline(in, field, '\t');) f.push_back(field);
  f.resize(10);
  Alert a{f[0], f[1], f[2], f[3], f[4], 0, f[5], f[9] == "1", f[6], f[7]};
  a.days_left = std::strtol(f[8].c_str(), nullptr, 10);
  return a;
}

}  // namespace kpi
