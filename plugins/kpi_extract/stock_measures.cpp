// stock_measures.cpp: measures.md §3, as at the as-at date D.
#include <map>

#include "case_fields.h"
#include "measures.h"

namespace kpi {
namespace {

using namespace case_fields;   // the fields every snapshot asks of every case
using sendhub::RecordKind;
const std::string kNoSex;

// measures.md §3 open_requests: received by D, not historical, not exported, and no final
// decision by D (not refused, not withdrawn, no plan decision).
std::optional<std::string> open_stage(const Case& c, const std::string& d) {
  const Record& r = *c.request;
  const std::string& received = kReceived.of(r);
  if (c.historical() || received.empty() || received > d || !kExported.of(r).empty()) return std::nullopt;
  const std::string& outcome = kRequestOutcome.of(r);
  const std::string& decided = kRequestOutcomeDate.of(r);
  if (outcome == "N" && !decided.empty() && decided <= d) return std::nullopt;
  if (outcome == "W") return std::nullopt;
  if (c.assessment) {
    const std::string& a = kAssessmentOutcome.of(*c.assessment);
    const std::string& a_date = kAssessmentOutcomeDate.of(*c.assessment);
    if (a == "W") return std::nullopt;
    if ((a == "Y" || a == "N") && !a_date.empty() && a_date <= d) return std::nullopt;
  }
  return decided.empty() || decided > d ? "awaiting_decision" : "assessing";
}

// The placement current at D with rank 1, or any current one; nullptr when none is.
const Record* current_placement(const Case& c, const std::string& d, bool* any_current) {
  const Record* rank1 = nullptr;
  *any_current = false;
  for (const Record* p : c.placements) {
    const std::string& entry = kEntry.of(*p);
    const std::string& leaving = kLeaving.of(*p);
    if (entry.empty() || entry > d || (!leaving.empty() && leaving <= d)) continue;
    *any_current = true;
    if (kPlacementRank.of(*p) == "1") rank1 = p;
  }
  return rank1;
}

}  // namespace

std::optional<std::string> open_request_stage(const Case& c, const std::string& d) { return open_stage(c, d); }

void StockMeasures::add(const Model& m, Sheet& sheet) {
  const std::string& d = p_.as_at;
  auto& active = active_;
  auto& active_by_need = active_by_need_;
  for (const auto& c : m.cases()) {
    if (m.active_at(c, d)) {
      ++active;
      ++active_by_need[c.primary_need()];
      sheet.count("active_plans");
      sheet.count_by("active_plans", "primary_need", c.primary_need());
      auto age = c.person ? m.age(kBirth.of(*c.person), d) : std::nullopt;
      sheet.count_by("active_plans", "age_band", age ? age_band(*age) : "UNKNOWN");
      const std::string& sex = c.person ? kSex.of(*c.person) : kNoSex;
      sheet.count_by("active_plans", "sex", sex.empty() ? "UNKNOWN" : sex);
      // Overdue: the last review meeting by D (or the start) + 12 months is before D.
      if (auto review = review_due(m, c, d); review && review->due < d) {
        sheet.count("annual_reviews_overdue");
        sheet.count_by("annual_reviews_overdue", "primary_need", c.primary_need());
      }
      bool any_current = false;
      const Record* placement = current_placement(c, d, &any_current);
      const std::string setting = placement ? kSetting.of(*placement) : "";
      if (!any_current || setting == "NIEO" || setting == "OTH") sheet.count("awaiting_placement");
    }
    if (auto stage = open_stage(c, d)) {
      sheet.count("open_requests");
      sheet.count_by("open_requests", "stage", *stage);
      auto days = m.elapsed(kReceived.of(*c.request), d);
      if (days && *days > 210) {
        sheet.count("open_over_30_weeks");
        sheet.count_by("open_over_30_weeks", "stage", *stage);
      }
    }
  }
  for (const Record* a : m.advice()) {
    const std::string& requested = kRequested.of(*a);
    if (requested.empty() || requested > d) continue;
    const std::string& status = kStatus.of(*a);
    const std::string& provided = kProvided.of(*a);
    if (status == "cancelled" || (status == "completed" && !provided.empty() && provided <= d)) continue;
    auto days = m.elapsed(requested, d);
    if (days && *days > 42) {
      sheet.count("advice_overdue");
      sheet.count_by("advice_overdue", "advice_type", kAdviceType.of(*a).empty() ? "UNKNOWN" : kAdviceType.of(*a));
    }
  }
}

void StockMeasures::finish(long population, Sheet& sheet) const {
  for (const char* id : {"active_plans", "open_requests", "open_over_30_weeks", "annual_reviews_overdue",
                         "awaiting_placement", "advice_overdue"})
    sheet.ensure(id, false);
  if (population > 0) {
    sheet.set_by("ehcp_prevalence_per_10k", "", "", active_, population, 10000);
    for (const auto& [need, n] : active_by_need_) sheet.set_by("ehcp_prevalence_per_10k", "primary_need", need, n, population, 10000);
  }
}

}  // namespace kpi
