#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <iostream>

#include "cli/commands.h"
#include "pipeline/exit_codes.h"
#include "plugins/plugin_loader.h"

namespace sendhub::cli {
namespace {

Poco::JSON::Array keys_json(const std::vector<ConfigKey>& keys) {
  Poco::JSON::Array out;
  for (const auto& k : keys) {
    Poco::JSON::Object o(Poco::JSON_PRESERVE_KEY_ORDER);
    o.set("name", k.name);
    o.set("type", k.type);
    o.set("required", k.required);
    o.set("default", k.default_value);
    o.set("secret", k.secret);
    o.set("description", k.description);
    if (k.min != INT64_MIN) o.set("min", k.min);
    if (k.max != INT64_MAX) o.set("max", k.max);
    out.add(o);
  }
  return out;
}

void print_text(const LoadedConnector& c, const char* kind, const std::vector<ConfigKey>& keys) {
  std::cout << c.info.name << "  " << kind << "  version " << c.info.version << "  API "
            << c.api_version << "  " << c.library << "\n    " << c.info.description << "\n";
  for (const auto& k : keys) {
    std::cout << "    " << k.name << " (" << k.type << (k.required ? ", required" : "")
              << (k.secret ? ", secret: names an environment variable" : "")
              << (k.default_value.empty() ? "" : ", default " + k.default_value) << "): " << k.description << "\n";
  }
}

}  // namespace

int cmd_connectors(const Invocation& inv) {
  PluginScan scan = load_plugins(plugins_dir_for(inv));
  Poco::JSON::Array all;
  for (const auto& c : scan.connectors) {
    for (int source = 1; source >= 0; --source) {
      if (source ? !c.info.make_source : !c.info.make_sink) continue;
      const auto& keys = source ? c.info.source_keys : c.info.sink_keys;
      const char* kind = source ? "source" : "sink";
      if (!inv.has("json")) {
        print_text(c, kind, keys);
        continue;
      }
      Poco::JSON::Object o(Poco::JSON_PRESERVE_KEY_ORDER);
      o.set("name", c.info.name);
      o.set("kind", kind);
      o.set("version", c.info.version);
      o.set("api_version", c.api_version);
      o.set("library", c.library);
      o.set("description", c.info.description);
      o.set("keys", keys_json(keys));
      all.add(o);
    }
  }
  if (inv.has("json")) {
    all.stringify(std::cout, 2);
    std::cout << "\n";
  }
  for (const auto& why : scan.refused) std::cerr << "sendhub: plugin refused: " << why << "\n";
  return scan.refused.empty() ? exit_code::ok : exit_code::usage;
}

}  // namespace sendhub::cli
