// pipeline/store_open.h: the store a configuration names, opened for a command.
#pragma once

#include <memory>

#include "config/hub_config.h"
#include "store/store.h"

namespace sendhub {

// The SQLite file (created and migrated when missing), or the council's part of the
// PostgreSQL pool (its schema applied by the pool's administrator: sendhub pool-migrate).
std::unique_ptr<Store> open_store(const HubConfig& cfg);
// Whether there is a store to read yet: the file exists; a pool always does.
bool store_exists(const HubConfig& cfg);
// Where the store is, for messages: the file, or the pool's conninfo (which holds no password).
std::string store_name(const HubConfig& cfg);

}  // namespace sendhub
