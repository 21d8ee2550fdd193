// profile_suggest.h: `sendhub profile suggest` for case-management exports.
#pragma once

#include <string>

#include "sendhub/plugin.h"

namespace cms {

// A draft mapping profile (JSON) for `file`; record "" guesses the kind. Throws Error.
std::string suggest_profile(const std::string& file, const std::string& record, const sendhub::HostContext& host);

}  // namespace cms
