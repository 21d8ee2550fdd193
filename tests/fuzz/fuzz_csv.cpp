// The cms_csv reader (encodings, RFC 4180, the row mapper) with a request profile that
// maps dates, flags and code lists, on arbitrary bytes.
#include "fuzz_support.h"
#include "pipeline/validate_files.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string file = sendhub::fuzz::write_input("input.csv", data, size);
  static const sendhub::FileValidator validator(sendhub::ValidateOptions{SENDHUB_FUZZ_PLUGIN_DIR, SENDHUB_FUZZ_SCHEMAS_DIR, "351", 0, SENDHUB_SOURCE_DIR "/config/profiles/example-involvements.json"});
  try {
    (void)validator.validate({file});
  } catch (const sendhub::Error&) {
  }
  return 0;
}
