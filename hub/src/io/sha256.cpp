#include "io/sha256.h"

#include <Poco/Crypto/DigestEngine.h>
#include <Poco/Crypto/OpenSSLInitializer.h>
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

namespace sendhub::io {

namespace {

// Poco::Crypto seeds OpenSSL from /dev/urandom when its first user starts and shuts OpenSSL
// down when its last one ends: every short-lived digest paid both, about a millisecond each
// (a council's run made sixty). One user held for the process starts OpenSSL once.
void hold_openssl() { static const Poco::Crypto::OpenSSLInitializer held; }

// Large enough that a read is not the cost beside the digest; not zero-filled, and not so
// large that each small schema file's buffer is fresh pages to fault in.
constexpr std::size_t kReadBlock = std::size_t{256} * 1024;

}  // namespace

Sha256::Sha256() {
  hold_openssl();
  engine_ = std::make_unique<Poco::Crypto::DigestEngine>("SHA256");
}
Sha256::~Sha256() = default;

void Sha256::update(std::string_view bytes) { engine_->update(bytes.data(), bytes.size()); }

std::string Sha256::hex() { return Poco::DigestEngine::digestToHex(engine_->digest()); }

std::string sha256_hex(std::string_view bytes) {
  Sha256 sha;
  sha.update(bytes);
  return sha.hex();
}

bool hash_file(const std::string& path, std::string& hex, std::int64_t& size) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
  Sha256 sha;
  const auto buf = std::make_unique_for_overwrite<char[]>(kReadBlock);
  size = 0;
  for (;;) {
    const ssize_t n = ::read(fd, buf.get(), kReadBlock);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      ::close(fd);
      return false;
    }
    if (n == 0) break;
    sha.update(std::string_view(buf.get(), static_cast<std::size_t>(n)));
    size += n;
  }
  ::close(fd);
  hex = sha.hex();
  return true;
}

}  // namespace sendhub::io
