// sendhub kpis: the kpi_extract sink on the store, for the period asked; --pool: the pooled
// KPIs of a regional pool, computed on its server.
#include <cstdio>
#include <filesystem>
#include <set>

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
#include "text/dates.h"

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

// The period asked: --year, or --from and --to, else the twelve months to the as-at date
// (--as-at, else today), as the kpi_extract sink takes it.
struct AskedPeriod {
  std::string start, end, as_at;
};
AskedPeriod asked_period(const Invocation& inv) {
  AskedPeriod p;
  if (inv.has("year")) {
    const std::string y = std::to_string(year_option(inv, true));
    p.start = y + "-01-01", p.end = y + "-12-31";
  } else if (inv.has("from")) {
    p.start = date_option(inv, "from"), p.end = date_option(inv, "to");
  }
  p.as_at = inv.has("as-at") ? date_option(inv, "as-at") : p.end.empty() ? text::today_iso() : p.end;
  if (p.end.empty()) {
    p.end = p.as_at;
    p.start = text::to_iso(text::from_days(text::to_days(text::add_months(*text::parse_iso(p.as_at), -12)) + 1));
  }
  if (p.end < p.start) throw ConfigError(Where{}, "--to", "usage", "the period ends before it starts");
  return p;
}

// Every measure across the pool's councils, computed on the server (issue 14): pool_kpis.csv,
// the pool's rows ("all") first, then each council's.
int write_pooled(const HubConfig& cfg, const Invocation& inv) {
  if (cfg.store_kind != "postgresql")
    throw ConfigError(Where{cfg.file, 0, ""}, "store.kind", "usage", "--pool needs a configuration whose store is postgresql");
  const AskedPeriod p = asked_period(inv);
  const auto rows = pooled_measures(cfg.store_conninfo, cfg.store_password_env, p.start, p.end, p.as_at);
  std::string out = csv::row({"council", "measure", "period_start", "period_end", "as_at", "breakdown", "breakdown_value",
                              "numerator", "denominator", "value"});
  std::set<std::string> councils;
  for (const auto& [council, r] : rows) {
    out += csv::row({council, r.measure, r.period_start, r.period_end, r.as_at, r.breakdown, r.breakdown_value,
                     std::to_string(r.numerator), r.denominator ? std::to_string(*r.denominator) : "", r.value});
    councils.insert(council);
  }
  const std::string dir = fs::absolute(inv.has("out") ? inv.get("out") : "kpis").string();
  io::make_private_dirs(dir);
  io::write_file_atomic(dir + "/pool_kpis.csv", out);
  std::printf("pooled KPIs for %s to %s (as at %s): %zu rows, %zu councils, into %s/pool_kpis.csv\n", p.start.c_str(),
              p.end.c_str(), p.as_at.c_str(), rows.size(), councils.empty() ? 0 : councils.size() - 1, dir.c_str());
  return exit_code::ok;
}

}  // namespace

int cmd_kpis(const Invocation& inv) {
  HubConfig cfg = config_for(inv);
  if (inv.has("year") && (inv.has("from") || inv.has("to")))
    throw ConfigError(Where{}, "--year", "usage", "give --year or --from and --to, not both");
  if (inv.has("from") != inv.has("to")) throw ConfigError(Where{}, "--from", "usage", "give both --from and --to");
  if (inv.has("pool")) return write_pooled(cfg, inv);
  if (inv.has("db")) cfg.store_kind = "sqlite", cfg.store_path = inv.get("db");
  if (!store_exists(cfg))
    throw ConfigError(Where{cfg.store_path, 0, ""}, "", "store", "no store here yet (run sendhub run first)");
  if (inv.has("history")) {
    auto store = open_store(cfg);
    return write_history(*store, fs::absolute(inv.get("history")).string());
  }
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
  return run_sink(cfg, *store, binding, text::today_iso()) ? exit_code::ok : exit_code::failed;
}

}  // namespace sendhub::cli
