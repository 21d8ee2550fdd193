// The fhir_advice source over file://: arbitrary bytes as the first Bundle page go through
// paging, Bundle and Task mapping, with advice_types configured (the path that crashed).
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  sendhub::fuzz::write_input("Task.json", data, size);
  auto settings = Poco::JSON::Object::Ptr(new Poco::JSON::Object);
  settings->set("base_url", "file://" + sendhub::fuzz::scratch());
  settings->set("max_pages", 3);
  settings->set("max_retries", 0);
  auto types = Poco::JSON::Object::Ptr(new Poco::JSON::Object);
  types->set("HLTH", "health");
  settings->set("advice_types", types);
  sendhub::fuzz::run_source("fhir_advice", settings);
  return 0;
}
