// pipeline/fingerprint.h: digests that say "nothing changed", so no work is redone on
// unchanged inputs (issue 11): a connector's configuration with the files it names, the
// schemas, and this build.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "config/hub_config.h"
#include "sendhub/plugin.h"

namespace sendhub {

std::string sha256_hex(std::string_view bytes);
// "" when the file cannot be read.
std::string file_sha256(const std::string& path);

// This build (version and plugin ABI) and every file under schemas/.
std::string build_and_schemas_mark(const std::string& schemas_dir);

// A connector's configuration: its JSON, the contents of each file a path-typed key names
// (but the keys in `outputs`, which name what a sink writes), and build_and_schemas_mark.
std::string connector_mark(const HubConfig& cfg, const ConnectorConfig& c, const std::vector<ConfigKey>& keys,
                           const std::vector<std::string>& outputs = {});

}  // namespace sendhub
