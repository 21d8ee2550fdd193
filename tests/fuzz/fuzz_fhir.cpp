// The fhir_advice source over file://: arbitrary bytes as the first Bundle page go through
// paging, Bundle and Task mapping, with advice_types configured (the path that crashed).
#include <Poco/JSON/Object.h>

#include <memory>

#include "config/connector_settings.h"
#include "fuzz_support.h"
#include "plugins/plugin_loader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace sendhub;
  static PluginScan scan = load_plugins(SENDHUB_FUZZ_PLUGIN_DIR);
  static const LoadedConnector* fhir = scan.find("fhir_advice");
  if (!fhir) std::abort();
  fuzz::write_input("Task.json", data, size);
  auto obj = Poco::JSON::Object::Ptr(new Poco::JSON::Object);
  obj->set("name", "fuzz");
  obj->set("connector", "fhir_advice");
  obj->set("base_url", "file://" + fuzz::scratch());
  obj->set("max_pages", 3);
  obj->set("max_retries", 0);
  auto types = Poco::JSON::Object::Ptr(new Poco::JSON::Object);
  types->set("HLTH", "health");
  obj->set("advice_types", types);
  HubConfig hub;
  hub.file = "fuzz";
  hub.dir = fuzz::scratch();
  ConnectorConfig config{"fuzz", "fhir_advice", "fuzz", obj};
  fuzz::NullSourceContext ctx(HostServices{"fuzz", make_settings(hub, config, fhir->info.source_keys),
                                           SENDHUB_FUZZ_SCHEMAS_DIR, "351"});
  try {
    fhir->info.make_source()->read(ctx);
  } catch (const Error&) {
  }
  return 0;
}
