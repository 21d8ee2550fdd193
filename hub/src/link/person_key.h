// link/person_key.h: the stable pseudonymous id of a linked person (privacy.md §5): hex
// HMAC-SHA256 of the person's best identifier under a secret salt, 16 hex characters.
#pragma once

#include <memory>
#include <string>

namespace sendhub {

// The HMAC-SHA256 of `message` under `key`, as lower-case hex.
std::string hmac_sha256_hex(const std::string& key, const std::string& message);

// best_identifier is already normalised ("upn:A950000178301", "name:brook|kit|2014-03-02").
std::string person_key(const std::string& salt, const std::string& best_identifier);

// person_key for everyone a linking keys, under one salt: the HMAC and its key's pads are made
// once, not per person (a quarter of each key's time).
class PersonKeys {
 public:
  explicit PersonKeys(const std::string& salt);
  ~PersonKeys();
  PersonKeys(const PersonKeys&) = delete;
  PersonKeys& operator=(const PersonKeys&) = delete;
  std::string of(const std::string& best_identifier);

 private:
  struct Hmac;
  std::unique_ptr<Hmac> hmac_;
};

}  // namespace sendhub
