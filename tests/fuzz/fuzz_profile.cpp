// The mapping-profile loader: arbitrary bytes as a profile must give a profile error
// (exit 2 in the CLI), never a crash; a profile that loads then reads a small export.
#include <Poco/JSON/Object.h>

#include "config/connector_settings.h"
#include "fuzz_support.h"
#include "plugins/plugin_loader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace sendhub;
  static PluginScan scan = load_plugins(SENDHUB_FUZZ_PLUGIN_DIR);
  static const LoadedConnector* cms = scan.find("cms_csv");
  static const std::string csv = [] {
    const char text[] = "Person ID,Surname,Date of Birth\nP1,Ashby,02/03/2014\n";
    return fuzz::write_input("people.csv", reinterpret_cast<const std::uint8_t*>(text), sizeof text - 1);
  }();
  if (!cms) std::abort();
  auto obj = Poco::JSON::Object::Ptr(new Poco::JSON::Object);
  obj->set("name", "fuzz");
  obj->set("connector", "cms_csv");
  obj->set("path", csv);
  obj->set("profile", fuzz::write_input("profile.json", data, size));
  HubConfig hub;
  hub.file = "fuzz";
  hub.dir = fuzz::scratch();
  ConnectorConfig config{"fuzz", "cms_csv", "fuzz", obj};
  fuzz::NullSourceContext ctx(HostServices{"fuzz", make_settings(hub, config, cms->info.source_keys),
                                           SENDHUB_FUZZ_SCHEMAS_DIR, "351"});
  try {
    auto source = cms->info.make_source();
    source->check(ctx.settings());
    source->read(ctx);
  } catch (const Error&) {
  }
  return 0;
}
