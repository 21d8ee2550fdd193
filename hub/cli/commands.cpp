#include "cli/commands.h"

#include <cstdlib>
#include <filesystem>

#include "text/dates.h"

namespace sendhub::cli {

const std::vector<Command>& commands() {
  static const std::vector<Command> kCommands = {
      {"run", "run [--config FILE] [--as-at DATE] [--db FILE] [--rekey] [--verbose]",
       "the nightly job: sources into the store, then every sink", {"config", "as-at", "db", "rekey"}, cmd_run},
      {"check", "check [--config FILE]",
       "check the configuration and that every source and sink can be reached", {"config"}, cmd_check},
      {"connectors", "connectors [--json] [--config FILE | --plugins-dir DIR]",
       "list the connectors found, with their configuration keys", {"json", "config", "plugins-dir"},
       cmd_connectors},
      {"runs", "runs [--json] [--config FILE | --db FILE]", "the run history", {"json", "config", "db"},
       cmd_runs},
      {"export", "export sen2 --year YYYY [--out FILE] [--force] [--as-at DATE] [--config FILE] [--db FILE] | "
                 "export inspection [--as-at DATE] [--out DIR] [--force] [--config FILE] [--db FILE]",
       "write the SEN2 return of a year, or the inspection's Annex A lists at a date, from the linked dataset; "
       "withheld while they have errors unless --force",
       {"year", "out", "config", "db", "as-at", "force"}, cmd_export},
      {"kpis", "kpis [--year YYYY | --from DATE --to DATE] [--as-at DATE] [--out DIR] [--snapshots KIND] [--pool] [--config FILE] | kpis --history FILE",
       "write the KPI extract, case tracker, forecast and scorecard for a period (kept in the store's history); "
       "--history writes every kept snapshot; --pool writes every council's and the regional pool's KPIs, computed "
       "on the pool's server, as pool_kpis.csv",
       {"year", "from", "to", "as-at", "out", "config", "db", "snapshots", "history", "pool"}, cmd_kpis},
      {"pool-migrate", "pool-migrate --config FILE",
       "apply the regional pool's PostgreSQL schema (schemas/pg), as the pool's owner role", {"config"}, cmd_pool_migrate},
      {"validate", "validate FILE... [--year YYYY | --profile FILE] [--format text|json|csv|html] [--report FILE]",
       "validate SEN2 XML files (or, with --profile, case-management CSV) without touching any store",
       {"year", "format", "report", "config", "plugins-dir", "profile"}, cmd_validate},
      {"explain", "explain PERSON_KEY [--show-personal] [--config FILE | --db FILE]",
       "a linked person's records and where each value came from", {"show-personal", "config", "db"}, cmd_explain},
      {"rules", "rules [--year YYYY] [--json]", "the rule catalogue: id, severity, years, fields, message",
       {"year", "json", "config"}, cmd_rules},
      {"profile", "profile suggest FILE [--record KIND] [--out FILE]",
       "a draft mapping profile for a case-management export: columns, dates, code values", {"record", "out", "config", "plugins-dir"},
       cmd_profile},
      {"fields", "fields [--kind KIND] [--json]",
       "the canonical fields a mapping profile can fill: kind, type, key, code lists", {"kind", "json", "config"},
       cmd_fields},
  };
  return kCommands;
}

HubConfig config_for(const Invocation& inv) {
  std::string file = inv.get("config");
  if (file.empty()) {
    const char* env = std::getenv("SENDHUB_CONFIG");
    file = env && *env ? env : "sendhub.json";
  }
  return load_config(file);
}

bool config_named(const Invocation& inv) {
  const char* env = std::getenv("SENDHUB_CONFIG");
  return inv.has("config") || (env && *env) || std::filesystem::exists("sendhub.json");
}

int year_option(const Invocation& inv, bool required) {
  std::string y = inv.get("year");
  if (y.empty() && !required) return 0;
  if (y.size() != 4 || y.find_first_not_of("0123456789") != std::string::npos)
    throw ConfigError(Where{}, "--year", "usage", "give the return year as YYYY");
  return std::stoi(y);
}

HubConfig store_config(const Invocation& inv) {
  HubConfig cfg;
  if (!inv.has("db") || config_named(inv)) cfg = config_for(inv);
  else cfg.schemas_dir = default_schemas_dir();
  if (inv.has("db")) {   // a store file named on the command line
    cfg.store_kind = "sqlite";
    cfg.store_path = inv.get("db");
  }
  return cfg;
}

std::string plugins_dir_for(const Invocation& inv) {
  if (inv.has("plugins-dir")) return inv.get("plugins-dir");
  return config_named(inv) ? config_for(inv).plugins_dir : default_plugins_dir();
}

std::string date_option(const Invocation& inv, const std::string& name) {
  std::string value = inv.get(name);
  if (value.empty()) return "";
  if (!text::parse_iso(value))
    throw ConfigError(Where{}, "--" + name, "usage", "must be a date written YYYY-MM-DD");
  return value;
}

}  // namespace sendhub::cli
