// cli/commands.h: one small file per subcommand; this table ties them to their names.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "config/hub_config.h"

namespace sendhub::cli {

struct Invocation {
  std::vector<std::string> args;              // after the subcommand name
  std::map<std::string, std::string> options; // long name -> value ("" for flags)

  bool has(const std::string& name) const { return options.count(name) > 0; }
  std::string get(const std::string& name, const std::string& fallback = "") const {
    auto it = options.find(name);
    return it == options.end() ? fallback : it->second;
  }
};

struct Command {
  std::string name;
  std::string usage;
  std::string summary;
  std::set<std::string> options;
  int (*fn)(const Invocation&);
};

const std::vector<Command>& commands();

// Shared by the commands: the configuration named by --config (default: sendhub.json,
// or $SENDHUB_CONFIG), and the store path (--db wins over the configuration).
HubConfig config_for(const Invocation& inv);
// The configuration with its store: --db FILE (an SQLite store) wins over the configured
// one; with --db alone no configuration is needed (then only the store and schemas are set).
HubConfig store_config(const Invocation& inv);
// --plugins-dir, else the configuration's, else where this build put them.
std::string plugins_dir_for(const Invocation& inv);
// An ISO date option, checked; "" when absent. Throws ConfigError.
std::string date_option(const Invocation& inv, const std::string& name);
// --year as a number; 0 when absent and not required. Throws ConfigError.
int year_option(const Invocation& inv, bool required);
// Whether a configuration file was named (--config, $SENDHUB_CONFIG) or ./sendhub.json exists.
bool config_named(const Invocation& inv);

int cmd_run(const Invocation& inv);
int cmd_check(const Invocation& inv);
int cmd_connectors(const Invocation& inv);
int cmd_runs(const Invocation& inv);
int cmd_export(const Invocation& inv);
int cmd_validate(const Invocation& inv);
int cmd_rules(const Invocation& inv);
int cmd_fields(const Invocation& inv);
int cmd_profile(const Invocation& inv);
int cmd_explain(const Invocation& inv);
int cmd_kpis(const Invocation& inv);
int cmd_pool_migrate(const Invocation& inv);

}  // namespace sendhub::cli
