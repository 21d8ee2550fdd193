// sendhub kpis: the kpi_extract sink on the store, for the period asked.
#include <filesystem>

#include "cli/commands.h"
#include "pipeline/store_open.h"
#include "io/private_file.h"
#include "pipeline/bindings.h"
#include "pipeline/dataset_gate.h"
#include "pipeline/exit_codes.h"
#include "pipeline/run.h"
#include "pipeline/validate_store.h"
#include "sendhub/csv.h"
#include "text/clock.h"

namespace sendhub::cli {
namespace fs = std::filesystem;

namespace {

// Every snapshot every KPI sink kept, as one long CSV (issue 13).
int write_history(Store& store, const std::string& file) {
  std::string out = csv::row({"sink", "measure", "period_start", "period_end", "as_at", "breakdown", "breakdown_value",
                              "numerator", "denominator", "value"});
  for (const auto& [sink, r] : store.measure_history(""))
    out += csv::row({sink, r.measure, r.period_start, r.period_end, r.as_at, r.breakdown, r.breakdown_value,
                     std::to_string(r.numerator), r.denominator ? std::to_string(*r.denominator) : "", r.value});
  io::write_file_atomic(file, out);
  return exit_code::ok;
}

}  // namespace

int cmd_kpis(const Invocation& inv) {
  HubConfig cfg = config_for(inv);
  if (inv.has("db")) cfg.store_kind = "sqlite", cfg.store_path = inv.get("db");
  if (!store_exists(cfg))
    throw ConfigError(Where{cfg.store_path, 0, ""}, "", "store", "no store here yet (run sendhub run first)");
  if (inv.has("history")) {
    auto store = open_store(cfg);
    return write_history(*store, fs::absolute(inv.get("history")).string());
  }
  if (inv.has("year") && (inv.has("from") || inv.has("to")))
    throw ConfigError(Where{}, "--year", "usage", "give --year or --from and --to, not both");
  if (inv.has("from") != inv.has("to")) throw ConfigError(Where{}, "--from", "usage", "give both --from and --to");
  // The configured kpi_extract sink's settings (population file, council name), if any.
  auto obj = Poco::JSON::Object::Ptr(new Poco::JSON::Object);
  for (const auto& s : cfg.sinks)
    if (s.connector == "kpi_extract") obj = Poco::JSON::Object::Ptr(new Poco::JSON::Object(*s.object));
  for (const char* key : {"year", "from", "to", "as_at"}) obj->remove(key);
  obj->set("name", "kpis");
  obj->set("connector", "kpi_extract");
  if (inv.has("year")) obj->set("year", year_option(inv, true));
  if (inv.has("from")) obj->set("from", date_option(inv, "from")), obj->set("to", date_option(inv, "to"));
  if (inv.has("as-at")) obj->set("as_at", date_option(inv, "as-at"));
  if (inv.has("snapshots")) obj->set("snapshots", inv.get("snapshots"));
  if (inv.has("out")) obj->set("out", fs::absolute(inv.get("out")).string());
  if (!obj->has("out")) obj->set("out", fs::absolute("kpis").string());
  ConnectorConfig sink{"kpis", "kpi_extract", "kpis", obj};
  PluginScan scan = load_plugins(cfg.plugins_dir);
  Binding binding = bind_sink(cfg, scan, sink);
  auto store = open_store(cfg);
  if (!ready_to_publish(*store)) return exit_code::failed;
  StoreValidation none;
  return run_sink(cfg, *store, binding, text::today_iso(), none) ? exit_code::ok : exit_code::failed;
}

}  // namespace sendhub::cli
