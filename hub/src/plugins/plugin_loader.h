// plugins/plugin_loader.h: finds every library in the plugins folder, refuses the ones
// that are not sendhub plugins, were built for another API version, or could be changed
// by someone else (privacy.md §8), and keeps the rest loaded for the process's life.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "sendhub/plugin.h"

namespace sendhub {

struct LoadedConnector {
  ConnectorInfo info;
  std::string library;   // the file it came from
  std::string build_id;  // the loaded library's GNU build-id (build_id.h), "" when it has none
  int api_version = SENDHUB_API_VERSION;
};

struct PluginScan {
  std::vector<LoadedConnector> connectors;
  std::vector<std::string> refused;   // one line each: "<file>: <why>"
  const LoadedConnector* find(const std::string& name) const;
};

// Throws Error when the folder itself is missing or unsafe.
PluginScan load_plugins(const std::string& dir);

}  // namespace sendhub
