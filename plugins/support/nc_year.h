// nc_year.h: the national curriculum year at a date from the birth date (shared/spec/
// inspection.md §3). England's academic year runs 1 September to 31 August:
// AY(d) = year(d) - (month(d) < 9 ? 1 : 0); NCY = AY(D) - AY(B) - 5. Reception is 0, Year 11 is
// 11, below 0 early years, 12-14 post-16, up to 20 for a young person of 24. Compiled into the
// connectors that need it.
#pragma once

#include <optional>
#include <string>

namespace plugin_support {

// Nothing when either date is not an ISO date (YYYY-MM-DD).
inline std::optional<int> nc_year(const std::string& birth, const std::string& at) {
  auto academic = [](const std::string& d) -> std::optional<int> {
    if (d.size() != 10 || d[4] != '-' || d[7] != '-') return std::nullopt;
    for (std::size_t i : {0u, 1u, 2u, 3u, 5u, 6u})
      if (d[i] < '0' || d[i] > '9') return std::nullopt;
    const int year = std::stoi(d.substr(0, 4)), month = std::stoi(d.substr(5, 2));
    if (month < 1 || month > 12) return std::nullopt;
    return year - (month < 9 ? 1 : 0);
  };
  const auto b = academic(birth), d = academic(at);
  if (!b || !d) return std::nullopt;
  return *d - *b - 5;
}

// The KPI breakdown value: -4..20, else "UNKNOWN" (no birth date, or a year out of the list).
inline std::string nc_year_value(const std::string& birth, const std::string& at) {
  const auto y = nc_year(birth, at);
  return y && *y >= -4 && *y <= 20 ? std::to_string(*y) : "UNKNOWN";
}

}  // namespace plugin_support
