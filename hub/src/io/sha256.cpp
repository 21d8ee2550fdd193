#include "io/sha256.h"

#include <Poco/Crypto/DigestEngine.h>
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <vector>

namespace sendhub::io {

Sha256::Sha256() : engine_(std::make_unique<Poco::Crypto::DigestEngine>("SHA256")) {}
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
  std::vector<char> buf(1 << 20);
  size = 0;
  for (;;) {
    const ssize_t n = ::read(fd, buf.data(), buf.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      ::close(fd);
      return false;
    }
    if (n == 0) break;
    sha.update(std::string_view(buf.data(), static_cast<std::size_t>(n)));
    size += n;
  }
  ::close(fd);
  hex = sha.hex();
  return true;
}

}  // namespace sendhub::io
