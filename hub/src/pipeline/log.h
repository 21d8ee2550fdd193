// pipeline/log.h: every line sendhub prints to stderr starts "sendhub: ". Callers pass
// no personal data (privacy.md §1); records are named by file, line and reference.
#pragma once

#include <string_view>

#include "sendhub/plugin.h"

namespace sendhub {

void set_log_verbose(bool verbose);
void log_line(LogLevel level, std::string_view who, std::string_view message);

}  // namespace sendhub
