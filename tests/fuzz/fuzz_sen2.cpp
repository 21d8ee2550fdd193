// The SEN2 reader (the scanner and the chain builder on its pieces) and the validator with
// the whole rule catalogue, on arbitrary bytes.
#include "fuzz_support.h"
#include "pipeline/validate_files.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string file = sendhub::fuzz::write_input("input.xml", data, size);
  static const sendhub::FileValidator validator(sendhub::ValidateOptions{SENDHUB_FUZZ_PLUGIN_DIR, SENDHUB_FUZZ_SCHEMAS_DIR, "351", 0, ""});
  try {
    (void)validator.validate({file});
  } catch (const sendhub::Error&) {  // a clear error is a fine answer; a crash is not
  }
  return 0;
}
