#include "place_breakdowns.h"

#include "nc_year.h"

#include <string_view>

namespace kpi {

std::vector<std::string> nc_year_values() {
  std::vector<std::string> out;
  for (int y = -4; y <= 20; ++y) out.push_back(std::to_string(y));
  out.emplace_back("UNKNOWN");
  return out;
}

void PlaceBreakdowns::count(Sheet& sheet, const char* measure, const Record* person, const std::string& at,
                            const std::string& recorded_nc_year) {
  const std::string birth = person ? person->get("birth_date") : "";
  if (nc_year_)
    sheet.count_by(measure, "nc_year", recorded_nc_year.empty() ? plugin_support::nc_year_value(birth, at) : recorded_nc_year);
  if (!wards_) return;
  const std::string ward = person ? wards_->ward(person->get("postcode")) : "";
  if (ward.empty()) ++unknown_wards_;
  sheet.count_by(measure, "ward", ward.empty() ? "UNKNOWN" : ward);
  if (std::string_view(measure) == "active_plans" && !ward.empty()) ++active_by_ward_[ward];
}

void PlaceBreakdowns::prevalence(Sheet& sheet, const std::map<std::string, long>& population) const {
  for (const auto& [ward, people] : population) {
    auto it = active_by_ward_.find(ward);
    sheet.set_by("ehcp_prevalence_per_10k", "ward", ward, it == active_by_ward_.end() ? 0 : it->second, people, 10000);
  }
}

void PlaceBreakdowns::add(const Model& m, Sheet& sheet) {
  for (const auto& c : m.cases()) {
    if (m.active_at(c, p_.as_at)) count(sheet, "active_plans", c.person, p_.as_at);
    const std::string& received = c.request->get("received_date");
    if (!c.historical() && !received.empty() && received >= p_.start && received <= p_.end)
      count(sheet, "requests_received", c.person, received);
  }
}

void PlaceBreakdowns::fill(Sheet& sheet, const char* measure) const {
  if (nc_year_) sheet.fill(measure, "nc_year", nc_year_values());
}

void PlaceBreakdowns::finish(Sheet& sheet) const {
  for (const char* measure : {"active_plans", "requests_received"}) fill(sheet, measure);
}

}  // namespace kpi
