#include <filesystem>

#include "cli/commands.h"
#include "pipeline/store_open.h"
#include "pipeline/bindings.h"
#include "pipeline/dataset_gate.h"
#include "pipeline/exit_codes.h"
#include "pipeline/log.h"
#include "pipeline/run.h"
#include "pipeline/validate_store.h"
#include "pipeline/validation_stage.h"
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

// The inspection lists (issue 29): the configured inspection_lists sink, if any, with --out,
// --as-at and --force laid over it; by default into ./inspection/.
ConnectorConfig inspection_config(const HubConfig& cfg, const Invocation& inv, const std::string& as_at) {
  auto obj = Poco::JSON::Object::Ptr(new Poco::JSON::Object);
  for (const auto& s : cfg.sinks)
    if (s.connector == "inspection_lists") {
      obj = Poco::JSON::Object::Ptr(new Poco::JSON::Object(*s.object));
      break;
    }
  obj->set("name", "export-inspection");
  obj->set("connector", "inspection_lists");
  obj->set("as_at", as_at);
  if (inv.has("out")) obj->set("out", fs::absolute(inv.get("out")).string());
  if (!obj->has("out")) obj->set("out", fs::absolute("inspection").string());
  if (inv.has("force")) obj->set("force", true);
  return ConnectorConfig{"export-inspection", "inspection_lists", "export", obj};
}

}  // namespace

int cmd_export(const Invocation& inv) {
  const bool lists = inv.args.size() == 1 && inv.args[0] == "inspection";
  if (inv.args.size() != 1 || (inv.args[0] != "sen2" && !lists))
    throw ConfigError(Where{}, "", "usage",
                      "usage: sendhub export sen2 --year YYYY [--out FILE] | sendhub export inspection [--as-at DATE] [--out DIR]");
  const int year = lists ? 0 : year_option(inv, true);
  HubConfig cfg = config_for(inv);
  if (inv.has("db")) cfg.store_kind = "sqlite", cfg.store_path = inv.get("db");
  if (!store_exists(cfg))
    throw ConfigError(Where{cfg.store_path, 0, ""}, "", "store", "no store here yet (run sendhub run first)");
  PluginScan scan = load_plugins(cfg.plugins_dir);
  std::string as_at = date_option(inv, "as-at");
  if (as_at.empty()) as_at = text::today_iso();
  ConnectorConfig sink = lists ? inspection_config(cfg, inv, as_at) : export_config(cfg, inv, year);
  Binding binding = bind_sink(cfg, scan, sink);
  auto store = open_store(cfg);
  if (!ready_to_publish(*store)) return exit_code::failed;
  if (!lists) validate_and_log(cfg, *store, 0, year);   // what the return's file would be told, logged first
  return run_sink(cfg, *store, binding, as_at) ? exit_code::ok : exit_code::failed;
}

}  // namespace sendhub::cli
