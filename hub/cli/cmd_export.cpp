#include <filesystem>

#include "cli/commands.h"
#include "pipeline/store_open.h"
#include "pipeline/bindings.h"
#include "pipeline/dataset_gate.h"
#include "pipeline/exit_codes.h"
#include "pipeline/log.h"
#include "pipeline/run.h"
#include "pipeline/validate_store.h"
#include "store/store.h"
#include "text/clock.h"

namespace sendhub::cli {
namespace fs = std::filesystem;
namespace {


// The sink configuration: the configured sen2_xml sink of that year if there is one (its
// serial number, header facts...), with --out and --year laid over it.
ConnectorConfig export_config(const HubConfig& cfg, const Invocation& inv, int year) {
  auto obj = Poco::JSON::Object::Ptr(new Poco::JSON::Object);
  for (const auto& s : cfg.sinks) {
    if (s.connector != "sen2_xml" || !s.object->has("year")) continue;
    if (s.object->get("year").convert<int>() == year) obj = Poco::JSON::Object::Ptr(new Poco::JSON::Object(*s.object));
  }
  obj->set("name", "export-sen2");
  obj->set("connector", "sen2_xml");
  obj->set("year", year);
  if (inv.has("out")) obj->set("out", fs::absolute(inv.get("out")).string());
  if (!obj->has("out")) obj->set("out", fs::absolute("sen2-" + std::to_string(year) + ".xml").string());
  if (inv.has("force")) obj->set("force", true);
  return ConnectorConfig{"export-sen2", "sen2_xml", "export", obj};
}

}  // namespace

int cmd_export(const Invocation& inv) {
  if (inv.args.size() != 1 || inv.args[0] != "sen2")
    throw ConfigError(Where{}, "", "usage", "usage: sendhub export sen2 --year YYYY [--out FILE]");
  const int year = year_option(inv, true);
  HubConfig cfg = config_for(inv);
  if (inv.has("db")) cfg.store_kind = "sqlite", cfg.store_path = inv.get("db");
  if (!store_exists(cfg))
    throw ConfigError(Where{cfg.store_path, 0, ""}, "", "store", "no store here yet (run sendhub run first)");
  PluginScan scan = load_plugins(cfg.plugins_dir);
  ConnectorConfig sink = export_config(cfg, inv, year);
  Binding binding = bind_sink(cfg, scan, sink);
  auto store = open_store(cfg);
  if (!ready_to_publish(*store)) return exit_code::failed;
  std::string as_at = date_option(inv, "as-at");
  StoreValidation validation = validate_and_log(cfg, *store, 0, year);
  return run_sink(cfg, *store, binding, as_at.empty() ? text::today_iso() : as_at, validation) ? exit_code::ok
                                                                                                : exit_code::failed;
}

}  // namespace sendhub::cli
