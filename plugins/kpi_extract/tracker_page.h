// tracker_page.h: tracker.html, the weekly clinic's page (clinic.md §2): one self-contained
// offline file beside open_cases.csv, its rows and the week's figures. Case reference and
// person_key only: never a name, birth date, address or identifier of the child.
#pragma once

#include "clinic_week.h"
#include "sendhub/plugin.h"
#include "sorted_spill.h"

namespace kpi {

// `open_cases`: open_cases.csv's rows (Tracker), longest wait first.
void write_tracker_page(sendhub::OutputFile& out, const plugin_support::SortedSpill& open_cases, const ClinicWeek& week,
                        const std::string& council);

}  // namespace kpi
