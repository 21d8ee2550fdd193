// The mapping-profile loader: arbitrary bytes as a profile must give a profile error
// (exit 2 in the CLI), never a crash; a profile that loads then reads a small export.
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::string csv = [] {
    const char text[] = "Person ID,Surname,Date of Birth\nP1,Ashby,02/03/2014\n";
    return sendhub::fuzz::write_input("people.csv", reinterpret_cast<const std::uint8_t*>(text), sizeof text - 1);
  }();
  auto settings = Poco::JSON::Object::Ptr(new Poco::JSON::Object);
  settings->set("path", csv);
  settings->set("profile", sendhub::fuzz::write_input("profile.json", data, size));
  sendhub::fuzz::run_source("cms_csv", settings);
  return 0;
}
