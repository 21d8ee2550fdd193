// alerts_sink.h: the `alerts` connector (shared/spec/clinic.md §3), registered by this library
// because it reads the same statutory clock as the tracker.
#pragma once

#include "sendhub/plugin.h"

namespace kpi {

void register_alerts(sendhub::Registry& registry);

}  // namespace kpi
