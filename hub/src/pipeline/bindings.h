// pipeline/bindings.h: each configured source and sink paired with its connector and
// its checked settings, before anything runs: a missing connector, a connector that is
// not a source (or sink), or a bad key is a ConfigError and nothing is done.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "config/hub_config.h"
#include "plugins/plugin_loader.h"

namespace sendhub {

struct Binding {
  const ConnectorConfig* config = nullptr;
  const LoadedConnector* connector = nullptr;
  std::unique_ptr<Settings> settings;
};

struct Bindings {
  std::vector<Binding> sources;
  std::vector<Binding> sinks;
};

// Throws the first ConfigError. With `problems`, every problem of every source and sink
// goes there instead, and the ones that have none are bound (for `check`).
Bindings bind_connectors(const HubConfig& cfg, const PluginScan& scan, std::vector<ConfigError>* problems = nullptr);
Binding bind_sink(const HubConfig& cfg, const PluginScan& scan, const ConnectorConfig& sink);

}  // namespace sendhub
