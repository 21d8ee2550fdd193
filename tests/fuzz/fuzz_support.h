// fuzz_support.h: what the libFuzzer harnesses share: a private scratch folder for the
// input (readers take files), the build's plugin and schema folders, and a SourceContext
// that runs every host check on what a source writes and stores nothing.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <string>

#include <Poco/JSON/Object.h>

#include "config/connector_settings.h"
#include "pipeline/contexts.h"
#include "plugins/plugin_loader.h"
#include "records/record_check.h"
#include "../temp_dir.h"

namespace sendhub::fuzz {

// The harness's private folder, made on first use and removed when the process exits (each
// run of a harness left one behind in /tmp before).
inline const std::string& scratch() {
  static const test::TempDir dir("sendhub-fuzz");
  return dir.path();
}

inline std::string write_input(const std::string& name, const std::uint8_t* data, std::size_t size) {
  const std::string path = scratch() + "/" + name;
  std::ofstream(path, std::ios::binary | std::ios::trunc).write(reinterpret_cast<const char*>(data),
                                                                 static_cast<std::streamsize>(size));
  return path;
}

using NullSourceContext = DryRunContext;

// Runs the named source connector of the fuzz build with these settings (name and
// connector are added) into a NullSourceContext; a clear Error is a fine answer.
inline void run_source(const std::string& connector, Poco::JSON::Object::Ptr settings) {
  static PluginScan scan = load_plugins(SENDHUB_FUZZ_PLUGIN_DIR);
  const LoadedConnector* found = scan.find(connector);
  if (!found) std::abort();
  settings->set("name", "fuzz");
  settings->set("connector", connector);
  HubConfig hub;
  hub.file = "fuzz";
  hub.dir = scratch();
  ConnectorConfig config{"fuzz", connector, "fuzz", settings};
  NullSourceContext ctx(HostServices{"fuzz", make_settings(hub, config, found->info.source_keys),
                                     SENDHUB_FUZZ_SCHEMAS_DIR, "351"});
  try {
    auto source = found->info.make_source();
    source->check(ctx.settings());
    source->read(ctx);
  } catch (const Error&) {
  }
}

}  // namespace sendhub::fuzz
