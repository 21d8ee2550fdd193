// pipeline/sink_stage.h: the run's sinks. The first sink to walk the dataset walks it alone and
// keeps its copies (dataset_cache.h); once they hold a whole walk, the sinks after it run side
// by side, `sink_threads` at a time (issue 30: on two cores the KPIs, the inspection lists, the
// extract and the alerts had queued for one core while the other idled). They share nothing but
// the copies, which are then only read, and the store's connection, which each takes for every
// call it makes (the walk cache's gate). Each sink's outcome keeps its place in the run summary,
// and its outputs are published when its own write() returns, as before.
#pragma once

#include <string>

#include "config/hub_config.h"
#include "pipeline/bindings.h"
#include "pipeline/validation_stage.h"
#include "store/store.h"

namespace sendhub {

// Every sink of the run, sharing one walk of the dataset; what validation found so far is saved
// after each. True when any failed or was skipped (`not_ready`: why none may run).
bool run_sinks(const HubConfig& cfg, Store& store, Bindings& bindings, RunSummary& run, const std::string& not_ready,
               ValidationStage* validating);

}  // namespace sendhub
