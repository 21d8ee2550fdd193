// pipeline/run_json.h: one JSON shape for a run, shared by the run's one-line summary and
// `sendhub runs --json` (interfaces.md §1).
#pragma once

#include <Poco/JSON/Object.h>

#include "store/store.h"

namespace sendhub {

Poco::JSON::Object run_to_json(const RunSummary& run);

}  // namespace sendhub
