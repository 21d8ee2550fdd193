#include "pipeline/bindings.h"

#include "config/connector_settings.h"

namespace sendhub {
namespace {

Binding bind(const HubConfig& cfg, const PluginScan& scan, const ConnectorConfig& c, bool source) {
  const LoadedConnector* found = scan.find(c.connector);
  auto bad = [&](const std::string& msg) {
    throw ConfigError(Where{cfg.file, 0, ""}, c.where + ".connector", "config", msg);
  };
  if (!found) {
    std::string refused;
    for (const auto& why : scan.refused) refused += "; refused: " + why;
    bad("no connector named " + c.connector + " in " + cfg.plugins_dir + " (see sendhub connectors)" + refused);
  }
  if (source && !found->info.make_source) bad("connector " + c.connector + " is not a source");
  if (!source && !found->info.make_sink) bad("connector " + c.connector + " is not a sink");
  const auto& keys = source ? found->info.source_keys : found->info.sink_keys;
  Binding b{&c, found, make_settings(cfg, c, keys)};
  try {
    if (source)
      found->info.make_source()->check(*b.settings);
    else
      found->info.make_sink()->check(*b.settings);
  } catch (const ConfigError&) {
    throw;
  } catch (const Error& e) {
    throw ConfigError(e.where(), c.where + (e.field().empty() ? "" : "." + e.field()), e.rule(), e.message());
  }
  return b;
}

}  // namespace

Bindings bind_connectors(const HubConfig& cfg, const PluginScan& scan, std::vector<ConfigError>* problems) {
  Bindings out;
  auto each = [&](const std::vector<ConnectorConfig>& list, bool source, std::vector<Binding>& into) {
    for (const auto& c : list) {
      if (!problems) {
        into.push_back(bind(cfg, scan, c, source));
        continue;
      }
      const LoadedConnector* found = scan.find(c.connector);
      auto keys = found ? settings_problems(cfg, c, source ? found->info.source_keys : found->info.sink_keys)
                        : std::vector<ConfigError>{};
      if (!keys.empty()) {
        problems->insert(problems->end(), keys.begin(), keys.end());
        continue;
      }
      try {
        into.push_back(bind(cfg, scan, c, source));
      } catch (const ConfigError& e) {
        problems->push_back(e);
      }
    }
  };
  each(cfg.sources, true, out.sources);
  each(cfg.sinks, false, out.sinks);
  return out;
}

Binding bind_sink(const HubConfig& cfg, const PluginScan& scan, const ConnectorConfig& sink) {
  return bind(cfg, scan, sink, false);
}

}  // namespace sendhub
