// census_order.h: the order a source's school censuses are read in. They are read as one input
// (SourceContext::begin_files), the latest census first, so that each pupil's person is given by
// the latest census that holds them, whatever the files are called and whichever of them
// changed: read one by one, an older file re-read alone (it holds a quarantined row) would put
// October's details back over January's, and two files giving one pupil different details would
// overwrite each other on every run, so that no rerun is ever unchanged.
#pragma once

#include <string>
#include <vector>

#include "mapping_profile.h"
#include "sendhub/plugin.h"

namespace cms {

// The files by the census date of each one's first readable row, latest first; files of one
// date, or of none that can be read here (the read reports why), by name, the last name first.
std::vector<std::string> latest_census_first(const Profile& profile, const std::vector<std::string>& files,
                                             const sendhub::HostContext& host);

}  // namespace cms
