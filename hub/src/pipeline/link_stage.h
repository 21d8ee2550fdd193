// pipeline/link_stage.h: after loading, a run links all sources into one dataset, keeps
// the links in the store (writing only what changed) and writes conflicts.csv. When neither
// the data nor the link configuration changed since the last linking, the links stand.
#pragma once

#include <string>
#include <vector>

#include "config/hub_config.h"
#include "store/store.h"

namespace sendhub {

// The person_key salt from the environment; a ConfigError (exit 2) when it is not set.
std::string link_salt(const HubConfig& cfg);

// Returns false when nothing changed since the links were made (and does nothing).
bool run_linking(const HubConfig& cfg, Store& store, const std::string& salt);

// A missing link.person_sources entry, named: a source whose unlinked requests name people
// another source holds. `run` logs these; `check` reports them from the store's last run.
std::vector<std::string> person_sources_hints(const HubConfig& cfg, Store& store);

// A changed salt re-keys every person: every person_key in extracts, explain and pooled data
// changes. Refused (ConfigError, exit 2) unless `rekey`; the salt's check value is kept in
// the store (an HMAC of a constant, never the salt).
void check_salt(Store& store, const std::string& salt, bool rekey);

}  // namespace sendhub
