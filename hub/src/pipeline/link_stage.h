// pipeline/link_stage.h: after loading, every run links all sources into one dataset,
// keeps the links in the store (writing only what changed) and writes conflicts.csv.
#pragma once

#include <string>

#include "config/hub_config.h"
#include "store/store.h"

namespace sendhub {

// The person_key salt from the environment; a ConfigError (exit 2) when it is not set.
std::string link_salt(const HubConfig& cfg);

void run_linking(const HubConfig& cfg, Store& store, const std::string& salt);

}  // namespace sendhub
