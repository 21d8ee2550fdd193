#include "link/person_key.h"

#include <Poco/DigestEngine.h>
#include <Poco/HMACEngine.h>
#include <Poco/SHA2Engine.h>

namespace sendhub {
namespace {

// Poco 1.11's SHA2Engine does not state the sizes HMACEngine needs; SHA-256's are fixed.
class Sha256Engine : public Poco::SHA2Engine {
 public:
  enum { BLOCK_SIZE = 64, DIGEST_SIZE = 32 };
  Sha256Engine() : Poco::SHA2Engine(SHA_256) {}
};

constexpr std::size_t kKeyLength = 16;

}  // namespace

std::string hmac_sha256_hex(const std::string& key, const std::string& message) {
  Poco::HMACEngine<Sha256Engine> hmac(key);
  hmac.update(message);
  return Poco::DigestEngine::digestToHex(hmac.digest());
}

std::string person_key(const std::string& salt, const std::string& best_identifier) {
  return hmac_sha256_hex(salt, best_identifier).substr(0, kKeyLength);
}

// HMACEngine::digest() starts the engine afresh under the same key: it serves the next message.
struct PersonKeys::Hmac {
  explicit Hmac(const std::string& salt) : engine(salt) {}
  Poco::HMACEngine<Sha256Engine> engine;
};

PersonKeys::PersonKeys(const std::string& salt) : hmac_(std::make_unique<Hmac>(salt)) {}
PersonKeys::~PersonKeys() = default;

std::string PersonKeys::of(const std::string& best_identifier) {
  hmac_->engine.update(best_identifier);
  return Poco::DigestEngine::digestToHex(hmac_->engine.digest()).substr(0, kKeyLength);
}

}  // namespace sendhub
