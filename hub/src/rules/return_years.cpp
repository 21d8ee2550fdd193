#include "rules/return_years.h"

#include <filesystem>

#include "rules/json_file.h"
#include "text/dates.h"

namespace sendhub {

std::optional<ReturnYear> return_year(const std::string& schemas_dir, int year) {
  const std::string file = schemas_dir + "/sen2/years.json";
  if (!std::filesystem::exists(file)) return std::nullopt;
  auto years = read_json_object(file)->getObject("years");
  auto y = years ? years->getObject(std::to_string(year)) : nullptr;
  if (!y) return std::nullopt;
  return ReturnYear{year, y->optValue<std::string>("reference_date", ""), y->optValue<std::string>("period_start", ""),
                    y->optValue<std::string>("period_end", ""), y->optValue<std::string>("deadline", "")};
}

std::string census_day(const std::string& schemas_dir, int year) {
  if (auto y = return_year(schemas_dir, year); y && !y->reference_date.empty()) return y->reference_date;
  const long jan1 = text::to_days({year, 1, 1});
  const long weekday = ((jan1 % 7) + 7 + 3) % 7;  // 1970-01-01 was a Thursday; 0 = Monday
  return text::to_iso(text::from_days(jan1 + (3 - weekday + 7) % 7 + 14));
}

}  // namespace sendhub
