// token_provider.h: the bearer token for the feed: a static token from an environment
// variable, or OAuth2 client credentials (secret from the environment), cached until
// shortly before it expires and fetched again once after a 401. Tokens are never logged.
#pragma once

#include <chrono>
#include <string>

#include "http_client.h"
#include "sendhub/plugin.h"

namespace fhir {

class TokenProvider {
 public:
  TokenProvider(const sendhub::Settings& settings, HttpClient& http);
  // The Authorization header, or "" when the feed needs none.
  std::string header();
  // Whether a 401 may be cured by fetching a new token.
  bool refreshable() const { return !token_url_.empty(); }
  void invalidate() { token_.clear(); }

 private:
  void fetch();
  const sendhub::Settings& settings_;
  HttpClient& http_;
  std::string token_url_, token_;
  std::chrono::steady_clock::time_point expires_{};
};

}  // namespace fhir
