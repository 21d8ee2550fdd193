#include "token_provider.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/URI.h>

#include <algorithm>

namespace fhir {

using sendhub::Error;
using sendhub::Where;

TokenProvider::TokenProvider(const sendhub::Settings& settings, HttpClient& http)
    : settings_(settings), http_(http) {
  if (!settings.has("token_env")) token_url_ = settings.text("token_url");
}

std::string TokenProvider::header() {
  if (settings_.has("token_env")) return "Authorization: Bearer " + settings_.secret("token_env");
  if (token_url_.empty()) return "";
  if (token_.empty() || std::chrono::steady_clock::now() >= expires_) fetch();
  return "Authorization: Bearer " + token_;
}

void TokenProvider::fetch() {
  const std::string path = Poco::URI(token_url_).getPath();
  std::string form = "grant_type=client_credentials&client_id=" + http_.escape(settings_.text("client_id")) +
                     "&client_secret=" + http_.escape(settings_.secret("client_secret_env"));
  if (settings_.has("scope")) form += "&scope=" + http_.escape(settings_.text("scope"));
  auto r = http_.post_form(token_url_, form, {"Accept: application/json"});
  if (r.error != CURLE_OK)
    throw Error(Where{path, 0, ""}, "token_url", "fhir.token", "token request failed: " + r.error_text);
  std::string reason;
  try {
    auto o = Poco::JSON::Parser().parse(r.body).extract<Poco::JSON::Object::Ptr>();
    if (r.status == 200 && o->has("access_token")) {
      token_ = o->getValue<std::string>("access_token");
      const int seconds = o->optValue<int>("expires_in", 300);
      // Renew a little early so a token never expires between check and use.
      expires_ = std::chrono::steady_clock::now() + std::chrono::seconds(std::max(0, seconds - 30));
      return;
    }
    // The OAuth2 error code is a token of RFC 6749 §5.2; error_description is free text
    // from the server and is never echoed.
    const std::string code = o->optValue<std::string>("error", "");
    const bool token = code.size() <= 32 && std::all_of(code.begin(), code.end(), [](char c) { return (c >= 'a' && c <= 'z') || c == '_'; });
    reason = token && !code.empty() ? "error " + code : "no access_token";
  } catch (const std::exception&) {
    reason = "the answer is not JSON";
  }
  throw Error(Where{path, 0, ""}, "token_url", "fhir.token",
              "token request refused (HTTP " + std::to_string(r.status) + "): " + reason);
}

}  // namespace fhir
