#include "alerts_due.h"

#include <algorithm>
#include <sstream>

#include "clock.h"
#include "measures.h"

namespace kpi {
namespace {

// The tightest threshold the days left have reached ("" when none): at 6 days left with
// {14, 7}, within_7; the looser one is implied and never sent after it.
std::string threshold_for(long days_left, const std::vector<long>& thresholds) {
  if (days_left < 0) return "breached";
  long tightest = -1;
  for (long n : thresholds)
    if (days_left <= n && (tightest < 0 || n < tightest)) tightest = n;
  return tightest < 0 ? "" : "within_" + std::to_string(tightest);
}

long days_from(const Model& m, const std::string& from, const std::string& to) {
  const auto a = m.day(from), b = m.day(to);
  return a && b ? *b - *a : 0;
}

// The clock's advice column: "kind:due:state" entries joined by ';'.
void advice_alerts(const Model& m, const Clock& k, const Alert& base, const std::string& d, std::vector<Alert>& out) {
  std::istringstream entries(k.advice);
  std::string entry;
  while (std::getline(entries, entry, ';')) {
    const auto first = entry.find(':'), last = entry.rfind(':');
    if (first == std::string::npos || first == last || entry.substr(last + 1) != "overdue") continue;
    Alert a = base;
    a.step = "advice_" + entry.substr(0, first);
    a.due = entry.substr(first + 1, last - first - 1);
    a.days_left = days_from(m, d, a.due);
    a.threshold = "overdue";
    out.push_back(std::move(a));
  }
}

Alert base_of(const Case& c) {
  Alert a;
  a.case_ref = c.request->get("request_ref");
  a.person_key = c.request->get("person_ref");
  return a;
}

}  // namespace

std::vector<Alert> alerts_of(const Model& m, const std::string& d, const std::vector<long>& thresholds) {
  std::vector<Alert> out;
  for (const auto& c : m.cases()) {
    if (auto stage = open_request_stage(c, d)) {
      const Clock k = clock_of(m, c, *stage, d);
      Alert a = base_of(c);
      a.stage = k.stage;
      a.case_officer = k.case_officer;
      a.team = k.team;
      a.week20_exception = k.week20_exception;
      advice_alerts(m, k, a, d, out);
      if (k.next_due.empty()) continue;
      a.step = k.next_step;
      a.due = k.next_due;
      a.days_left = k.days_left;
      a.threshold = threshold_for(k.days_left, thresholds);
      if (!a.threshold.empty()) out.push_back(std::move(a));
    } else if (m.active_at(c, d)) {
      const auto review = review_due(m, c, d);
      if (!review || review->due >= d) continue;
      Alert a = base_of(c);
      a.stage = "plan";
      a.step = "annual_review";
      a.due = review->due;
      a.days_left = days_from(m, d, review->due);
      a.threshold = "overdue";
      a.case_officer = case_extra(c, "case_officer");
      a.team = case_extra(c, "team");
      out.push_back(std::move(a));
    }
  }
  return out;
}

}  // namespace kpi
