#include "link/precedence.h"

#include <algorithm>

namespace sendhub {

int Precedence::rank(const std::string& field, const std::string& source) const {
  for (const std::string& f : {field, std::string("default")}) {
    auto it = hub_.find(f);
    if (it == hub_.end()) continue;
    auto pos = std::find(it->second.begin(), it->second.end(), source);
    if (pos != it->second.end()) return static_cast<int>(pos - it->second.begin());
  }
  auto conn = connector_of_.find(source);
  const std::string connector = conn == connector_of_.end() ? "" : conn->second;
  for (const std::string& f : {field, std::string("default")}) {
    auto it = rules_.precedence.find(f);
    if (it == rules_.precedence.end()) continue;
    auto pos = std::find(it->second.begin(), it->second.end(), connector);
    return 1000 + static_cast<int>(pos - it->second.begin());
  }
  return 2000;
}

}  // namespace sendhub
