// The hub configuration loader: arbitrary bytes as sendhub.json must give a ConfigError
// naming the key, never a crash.
#include "config/hub_config.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string file = sendhub::fuzz::write_input("hub.json", data, size);
  try {
    (void)sendhub::load_config(file);
  } catch (const sendhub::Error&) {
  }
  return 0;
}
