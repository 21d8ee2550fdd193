// config/connector_settings.h: one source's or sink's configuration, checked against the
// ConfigKeys its connector declares (the Fluent Bit "config map"): unknown keys, missing
// required keys and values of the wrong type are ConfigErrors naming the key.
#pragma once

#include <memory>
#include <vector>

#include "config/hub_config.h"
#include "sendhub/plugin.h"

namespace sendhub {

// Every problem of the configuration against the keys, in key order (for `check`).
std::vector<ConfigError> settings_problems(const HubConfig& hub, const ConnectorConfig& config,
                                          const std::vector<ConfigKey>& keys);
// Checks (throwing the first problem) and wraps; the keys "name" and "connector" belong to
// the host.
std::unique_ptr<Settings> make_settings(const HubConfig& hub, const ConnectorConfig& config,
                                        const std::vector<ConfigKey>& keys);

}  // namespace sendhub
