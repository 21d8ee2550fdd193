#include "census_measures.h"

#include "census_facts.h"
#include "nc_year.h"

namespace kpi {
namespace {

constexpr const char* kSupport = "sen_support_census";
constexpr const char* kPlans = "ehc_plans_census";
constexpr const char* kCensusOnly = "census_ehc_without_active_plan";
constexpr const char* kPlanOnly = "active_plan_not_ehc_in_census";

// The census's recorded NC year carried from its census date to `at` (a year on for each
// September between), "" when not recorded or out of the list.
std::string carried_nc_year(const Record& pupil, const std::string& at) {
  const std::string& recorded = pupil.get("nc_year");
  const auto years_on = plugin_support::nc_year(pupil.get("census_date"), at);   // AY(at) - AY(census) - 5
  if (recorded.empty() || !years_on) return "";
  try {
    const int y = std::stoi(recorded) + *years_on + 5;
    return y >= -4 && y <= 20 ? std::to_string(y) : "";
  } catch (const std::exception&) {
    return "";
  }
}

}  // namespace

void CensusMeasures::add(const Model& m, const sendhub::PersonGroup& g, Sheet& sheet) {
  const auto census = plugin_support::census_facts(g, as_at_, window_start_);
  if (census.latest.empty()) return;
  seen_ = true;
  if (census.latest > latest_) latest_ = census.latest;
  const std::string provision = census.provision(window_start_);
  if (provision.empty()) return;
  bool active = false;
  for (const auto& c : m.cases()) active = active || m.active_at(c, as_at_);
  const Record* person = !g.records.empty() && g.records.front().kind() == sendhub::RecordKind::person ? &g.records.front() : nullptr;
  if (provision == "K") {
    sheet.count(kSupport);
    const std::string& need = census.main->get("sen_need_1");
    sheet.count_by(kSupport, "primary_need", need.empty() ? "UNKNOWN" : need);
    if (places_.any()) places_.count(sheet, kSupport, person, as_at_, carried_nc_year(*census.main, as_at_));
  }
  if (provision == "E") sheet.count(kPlans);
  if (provision == "E" && !active) sheet.count(kCensusOnly);
  if (provision != "E" && active) sheet.count(kPlanOnly);
}

void CensusMeasures::finish(sendhub::HostContext& ctx, Sheet& sheet) const {
  if (!seen_) return;
  if (latest_ <= window_start_)
    ctx.log(sendhub::LogLevel::warning, "the latest school census in the dataset (" + latest_ + ") is more than six months "
                                        "before the as-at date " + as_at_ + ": no child is counted on SEN support");
  for (const char* measure : {kSupport, kPlans, kCensusOnly, kPlanOnly}) sheet.ensure(measure, false);
  places_.fill(sheet, kSupport);
}

}  // namespace kpi
