// sendhub profile suggest FILE [--record KIND] [--out FILE]: a draft mapping profile for a
// case-management export, from the cms_csv connector's suggest (after Airbyte's discover).
#include <iostream>

#include "cli/commands.h"
#include "io/private_file.h"
#include "pipeline/contexts.h"
#include "pipeline/exit_codes.h"
#include "plugins/plugin_loader.h"

namespace sendhub::cli {

int cmd_profile(const Invocation& inv) {
  if (inv.args.size() != 2 || inv.args[0] != "suggest")
    throw ConfigError(Where{}, "", "usage", "usage: sendhub profile suggest FILE [--record KIND] [--out FILE]");
  const std::string file = inv.args[1];
  io::require_regular_file(file);
  PluginScan scan = load_plugins(plugins_dir_for(inv));
  const LoadedConnector* cms = scan.find("cms_csv");
  if (!cms || !cms->info.make_source) throw ConfigError(Where{}, "", "plugins", "no cms_csv connector found");
  const std::string schemas = config_named(inv) ? config_for(inv).schemas_dir : default_schemas_dir();
  DryRunContext host(HostServices{"profile", nullptr, schemas, ""});
  const std::string draft = cms->info.make_source()->suggest(file, inv.get("record"), host);
  if (inv.has("out")) {
    io::write_file_atomic(inv.get("out"), draft);
    std::cerr << "sendhub: profile: a draft in " << inv.get("out") << "; check it, then: sendhub validate --profile "
              << inv.get("out") << " " << file << "\n";
  } else {
    std::cout << draft;
  }
  return exit_code::ok;
}

}  // namespace sendhub::cli
