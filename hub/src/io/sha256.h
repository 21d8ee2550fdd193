// io/sha256.h: the one SHA-256 of the host: input files (is this the file read last time?),
// outputs as they are written (is the published file still ours?) and marks of configuration.
// OpenSSL's digest through Poco::Crypto: it uses the CPU's SHA instructions where there are
// any, four times Poco::SHA2Engine's speed on this project's machine, and inputs and outputs
// run to gigabytes at national scale. (person_key's HMAC stays Poco's: short texts.)
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace Poco::Crypto {
class DigestEngine;
}

namespace sendhub::io {

class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  void update(std::string_view bytes);
  // Lower-case hex of what was given so far; the digest starts again empty.
  std::string hex();

 private:
  std::unique_ptr<Poco::Crypto::DigestEngine> engine_;
};

std::string sha256_hex(std::string_view bytes);

// A file's digest and size, read in large blocks. False when it cannot be opened or read.
bool hash_file(const std::string& path, std::string& hex, std::int64_t& size);

}  // namespace sendhub::io
