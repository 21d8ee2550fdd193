// pipeline/run.h: the nightly job. Lock the store, run every source in its own
// transaction, then every sink; log the run; return the exit code of interfaces.md §1.
#pragma once

#include <string>
#include <vector>

#include "config/hub_config.h"
#include "store/store.h"

namespace sendhub {

struct RunOptions {
  std::string as_at;   // ISO date; today when empty
  bool rekey = false;  // accept a salt that re-keys every person (--rekey)
};

int run_pipeline(const HubConfig& cfg, const RunOptions& options);

// Runs one sink against an open store (also used by `sendhub export`). Returns false
// and logs the reason when the sink fails; its earlier outputs are then left untouched.
// A sink reads the dataset, not what validation found (a run validates beside its sinks).
struct Binding;
bool run_sink(const HubConfig& cfg, Store& store, Binding& sink, const std::string& as_at);
// The same, saying how it ended (pipeline/sink_reuse.h); `walks`: the run's walks of the
// dataset, shared by its sinks (nullptr: this sink walks the store itself).
struct SinkOutcome;
class DatasetCache;
SinkOutcome sink_outcome(const HubConfig& cfg, Store& store, Binding& sink, const std::string& as_at,
                         std::int64_t run = 0, DatasetCache* walks = nullptr);

}  // namespace sendhub
