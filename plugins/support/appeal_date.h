// appeal_date.h: when a mediation or a tribunal appeal that a request or an assessment
// records took place, the one rule the return (sen2_xml) and the KPIs (kpi_extract) place
// it in a period by (measures.md §2, issue 25). Compiled into the connectors that need it.
#pragma once

#include <string>

#include "sendhub/records.h"

namespace plugin_support {

// `flag` is one of request_mediation, request_tribunal (a request), assessment_mediation,
// assessment_tribunal, other_mediation, other_tribunal (an assessment). The date it took
// place, or "" when it did not or nothing dates it:
// - about a plan (other_*), its own date when one is known (other_tribunal_date): a date
//   alone says it took place, unless the flag says 0;
// - else the decision's date (request_outcome_date, assessment_outcome_date) when the flag
//   is 1, except on a historical (H) chain, whose decisions are older than any period.
// The date field of a flag about the plan (other_mediation -> other_mediation_date), or null:
// named without building a string per call (asked once per case, snapshot and flag).
inline const std::string* appeal_date_field(const std::string& flag) {
  static const std::string kOther[][2] = {{"other_mediation", "other_mediation_date"},
                                          {"other_tribunal", "other_tribunal_date"}};
  for (const auto& pair : kOther)
    if (flag == pair[0]) return &pair[1];
  return nullptr;
}

inline std::string appeal_date(const sendhub::Record& r, const std::string& flag, bool historical) {
  if (const std::string* field = appeal_date_field(flag)) {
    const std::string& own = r.get(*field);
    if (!own.empty()) return r.get(flag) == "0" ? "" : own;
  }
  if (historical || r.get(flag) != "1") return "";
  return r.get(r.kind() == sendhub::RecordKind::request ? "request_outcome_date" : "assessment_outcome_date");
}

}  // namespace plugin_support
