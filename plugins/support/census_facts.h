// census_facts.h (compiled into the connectors that need it): what the school census says of one child at a date (shared/spec/inspection.md
// §2, §4): the latest census on or before the date (its main and subsidiary registrations),
// and the termly counts the lists report (suspensions, permanent exclusions, absence) summed
// over the census dates of the last six months, else taken from the latest census alone.
#pragma once

#include <string>
#include <vector>

#include "sendhub/plugin.h"

namespace plugin_support {

// A census older than this before a date says nothing about the child at that date (a child in no
// recent census is on no school's roll in the area); counts are summed over the censuses within it.
constexpr int kRecentCensusMonths = 6;

struct CensusFacts {
  const sendhub::Record* main = nullptr;         // latest census: C (single) or M (main of dual)
  const sendhub::Record* subsidiary = nullptr;   // latest census: S (subsidiary of dual)
  std::string latest;                            // the latest census date on or before the date
  std::string suspensions, exclusions, absence;  // counts, and the percentage of sessions missed
  const sendhub::Record* counted = nullptr;      // a row the counts came from (to fix them)
  // The SEN provision (E, K, N) of the main registration at the latest census, when that
  // census is after window_start (a child missing from the recent censuses is no longer on
  // a school's roll in the area); "" otherwise.
  std::string provision(const std::string& window_start) const {
    return main && latest > window_start ? main->get("sen_provision") : "";
  }
};

// g's pupil records at d; window_start: the day six months before d (rows after it are termly).
CensusFacts census_facts(const sendhub::PersonGroup& g, const std::string& d, const std::string& window_start);

// "7.5" for 12 sessions missed of 160: one decimal, as the lists show a percentage.
std::string percentage(long part, long whole);

}  // namespace plugin_support
