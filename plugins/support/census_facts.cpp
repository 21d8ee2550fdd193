#include "census_facts.h"

#include <optional>

#include "text.h"

namespace plugin_support {
namespace {

using sendhub::Record;
using sendhub::RecordKind;

std::optional<long> whole(const std::string& s) {
  if (s.empty() || s.find_first_not_of("0123456789") != std::string::npos || s.size() > 9) return std::nullopt;
  return std::stol(s);
}

// Sums a count field over rows; empty when no row holds it (unknown, never zero).
std::string total(const std::vector<const Record*>& rows, const char* field) {
  std::optional<long> sum;
  for (const Record* r : rows)
    if (auto v = whole(r->get(field))) sum = sum.value_or(0) + *v;
  return sum ? std::to_string(*sum) : "";
}

}  // namespace

std::string percentage(long part, long whole_sessions) {
  if (whole_sessions <= 0) return "";
  return plugin_support::fixed(100.0 * static_cast<double>(part) / static_cast<double>(whole_sessions), 1);
}

CensusFacts census_facts(const sendhub::PersonGroup& g, const std::string& d, const std::string& window_start) {
  CensusFacts out;
  std::vector<const Record*> pupils;
  for (const auto& r : g.records)
    if (r.kind() == RecordKind::pupil && !r.get("census_date").empty() && r.get("census_date") <= d) {
      pupils.push_back(&r);
      if (r.get("census_date") > out.latest) out.latest = r.get("census_date");
    }
  if (pupils.empty()) return out;
  std::vector<const Record*> termly, latest;
  for (const Record* r : pupils) {
    const std::string& date = r->get("census_date");
    if (date > window_start) termly.push_back(r);
    if (date != out.latest) continue;
    latest.push_back(r);
    const std::string& status = r->get("enrolment_status");
    if (status == "S") {
      if (!out.subsidiary) out.subsidiary = r;
    } else if (!out.main || (status == "M" && out.main->get("enrolment_status") != "M")) {
      out.main = r;
    }
  }
  const auto& counted = termly.empty() ? latest : termly;
  out.counted = counted.front();
  out.suspensions = total(counted, "suspensions");
  out.exclusions = total(counted, "permanent_exclusions");
  const std::string possible = total(counted, "sessions_possible"), missed = total(counted, "sessions_missed");
  if (!possible.empty() && !missed.empty()) out.absence = percentage(std::stol(missed), std::stol(possible));
  return out;
}

}  // namespace plugin_support
