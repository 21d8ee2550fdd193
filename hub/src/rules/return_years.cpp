#include "rules/return_years.h"

#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>

#include "rules/json_file.h"
#include "text/dates.h"

namespace sendhub {

namespace {

using Years = std::map<int, ReturnYear>;

Years read_years(const std::string& file) {
  Years out;
  auto years = read_json_object(file)->getObject("years");
  if (!years) return out;
  for (const auto& name : years->getNames()) {
    auto y = years->getObject(name);
    const int year = std::atoi(name.c_str());
    if (!y || std::to_string(year) != name) continue;   // a year is named by its digits alone
    out[year] = ReturnYear{year, y->optValue<std::string>("reference_date", ""), y->optValue<std::string>("period_start", ""),
                           y->optValue<std::string>("period_end", ""), y->optValue<std::string>("deadline", "")};
  }
  return out;
}

// The file read once while it stays as it is: sinks ask for a year's facts per person and
// period (about ninety reads of it in a council's run).
std::shared_ptr<const Years> years_of(const std::string& schemas_dir) {
  const std::string file = schemas_dir + "/sen2/years.json";
  std::error_code ec;
  const auto written = std::filesystem::last_write_time(file, ec);
  if (ec) return nullptr;
  static std::mutex lock;
  static std::map<std::string, std::pair<std::filesystem::file_time_type, std::shared_ptr<const Years>>> read;
  const std::lock_guard<std::mutex> hold(lock);
  auto& [when, years] = read[file];
  if (!years || when != written) {
    years = std::make_shared<const Years>(read_years(file));
    when = written;
  }
  return years;
}

}  // namespace

std::optional<ReturnYear> return_year(const std::string& schemas_dir, int year) {
  const auto years = years_of(schemas_dir);
  if (!years) return std::nullopt;
  const auto y = years->find(year);
  if (y == years->end()) return std::nullopt;
  return y->second;
}

std::string census_day(const std::string& schemas_dir, int year) {
  if (auto y = return_year(schemas_dir, year); y && !y->reference_date.empty()) return y->reference_date;
  const long jan1 = text::to_days({year, 1, 1});
  const long weekday = ((jan1 % 7) + 7 + 3) % 7;  // 1970-01-01 was a Thursday; 0 = Monday
  return text::to_iso(text::from_days(jan1 + (3 - weekday + 7) % 7 + 14));
}

}  // namespace sendhub
