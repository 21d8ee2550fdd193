// config/connector_settings.h: one source's or sink's configuration, checked against the
// ConfigKeys its connector declares (the Fluent Bit "config map"): unknown keys, missing
// required keys and values of the wrong type are ConfigErrors naming the key.
#pragma once

#include <memory>
#include <vector>

#include "config/hub_config.h"
#include "sendhub/plugin.h"

namespace sendhub {

// Checks and wraps; the keys "name" and "connector" belong to the host.
std::unique_ptr<Settings> make_settings(const HubConfig& hub, const ConnectorConfig& config,
                                        const std::vector<ConfigKey>& keys);

}  // namespace sendhub
