#include "fhir_fetcher.h"

#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeParser.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Timestamp.h>
#include <Poco/URI.h>

#include <algorithm>
#include <thread>

namespace fhir {
namespace {

using sendhub::Error;
using sendhub::Where;

HttpOptions http_options(const sendhub::Settings& s, sendhub::HostContext* log) {
  HttpOptions o;
  o.connect_timeout_s = static_cast<long>(s.integer("connect_timeout_s"));
  o.timeout_s = static_cast<long>(s.integer("timeout_s"));
  if (s.has("ca_bundle")) o.ca_bundle = s.path("ca_bundle");
  o.verify_tls = !s.boolean("insecure_skip_tls_verify");
  if (!o.verify_tls && log)
    log->log(sendhub::LogLevel::warning, "TLS certificate verification is OFF (insecure_skip_tls_verify); "
                                         "anyone on the network path can read and change the feed");
  return o;
}

bool transient(CURLcode c) {
  switch (c) {
    case CURLE_OPERATION_TIMEDOUT: case CURLE_COULDNT_CONNECT: case CURLE_RECV_ERROR: case CURLE_SEND_ERROR:
    case CURLE_PARTIAL_FILE: case CURLE_GOT_NOTHING: case CURLE_COULDNT_RESOLVE_HOST: case CURLE_SSL_CONNECT_ERROR:
      return true;
    default: return false;
  }
}

// Retry-After as seconds or an HTTP date; -1 when absent or unreadable.
long retry_after_s(const HttpResponse& r) {
  auto it = r.headers.find("retry-after");
  if (it == r.headers.end()) return -1;
  try {
    return std::max(0L, std::stol(it->second));
  } catch (const std::exception&) {
  }
  try {
    int tz = 0;
    auto when = Poco::DateTimeParser::parse(Poco::DateTimeFormat::HTTP_FORMAT, it->second, tz).timestamp();
    return std::max<long>(0, static_cast<long>((when - Poco::Timestamp()) / Poco::Timestamp::resolution()));
  } catch (const std::exception&) {
    return -1;
  }
}

std::string diagnostics(const std::string& body) {
  try {
    auto o = Poco::JSON::Parser().parse(body).extract<Poco::JSON::Object::Ptr>();
    if (o->optValue<std::string>("resourceType", "") != "OperationOutcome") return "";
    std::string out;
    auto issues = o->getArray("issue");
    for (std::size_t i = 0; issues && i < issues->size(); ++i) {
      auto issue = issues->getObject(static_cast<unsigned>(i));
      std::string d = issue->optValue<std::string>("diagnostics", issue->optValue<std::string>("code", ""));
      if (!d.empty()) out += (out.empty() ? "" : "; ") + d;
    }
    return out;
  } catch (const std::exception&) {
    return "";
  }
}

}  // namespace

FhirFetcher::FhirFetcher(const sendhub::Settings& settings, sendhub::HostContext* log)
    : log_(log), http_(http_options(settings, log)), tokens_(settings, http_) {
  policy_.max_retries = static_cast<int>(settings.integer("max_retries"));
  policy_.backoff_ms = static_cast<long>(settings.integer("backoff_ms"));
  policy_.retry_after_cap_s = static_cast<long>(settings.integer("retry_after_cap_s"));
}

void FhirFetcher::wait(int attempt, const HttpResponse& r, const std::string& why) {
  long ms;
  if (long after = retry_after_s(r); after >= 0 && (r.status == 429 || r.status == 503)) {
    ms = std::min(after, policy_.retry_after_cap_s) * 1000;
  } else {
    const long base = policy_.backoff_ms << std::min(attempt, 10);
    ms = std::min(base + std::uniform_int_distribution<long>(0, base / 2)(jitter_), 60000L);
  }
  if (log_) log_->log(sendhub::LogLevel::warning, why + "; trying again in " + std::to_string(ms) + " ms");
  std::this_thread::sleep_for(std::chrono::milliseconds(ms));
}

Poco::JSON::Object::Ptr FhirFetcher::get_json(const std::string& url) {
  const std::string path = Poco::URI(url).getPath();
  bool refreshed = false;
  for (int attempt = 0;; ++attempt) {
    std::vector<std::string> headers{"Accept: application/fhir+json"};
    if (auto auth = tokens_.header(); !auth.empty()) headers.push_back(auth);
    HttpResponse r = http_.get(url, headers);
    const bool retries_left = attempt < policy_.max_retries;
    std::string problem;
    if (r.error != CURLE_OK) {
      problem = r.error_text;
      if (!transient(r.error) || !retries_left)
        throw Error(Where{path, 0, ""}, "", "fhir.http", "request failed after " + std::to_string(attempt + 1) +
                                                             " attempt(s): " + problem);
    } else if (r.status == 401 && tokens_.refreshable() && !refreshed) {
      tokens_.invalidate();  // the token expired mid-feed: one new token, then the same page
      refreshed = true;
      --attempt;
      continue;
    } else if (r.status == 429 || r.status >= 500) {
      problem = "HTTP " + std::to_string(r.status);
      if (!retries_left)
        throw Error(Where{path, 0, ""}, "", "fhir.http", "HTTP " + std::to_string(r.status) + " after " +
                                                             std::to_string(attempt + 1) + " attempt(s)");
    } else if (r.status >= 400 || r.status < 200 || r.status >= 300) {
      std::string d = diagnostics(r.body);
      throw Error(Where{path, 0, ""}, "", "fhir.http",
                  "HTTP " + std::to_string(r.status) + (d.empty() ? "" : ": " + d));
    } else {
      try {
        auto o = Poco::JSON::Parser().parse(r.body).extract<Poco::JSON::Object::Ptr>();
        if (o) return o;
        problem = "the answer is not a JSON object";
      } catch (const std::exception&) {
        problem = "the answer is not valid JSON (truncated?)";
      }
      if (!retries_left)
        throw Error(Where{path, 0, ""}, "", "fhir.json", problem + " after " + std::to_string(attempt + 1) + " attempt(s)");
    }
    wait(attempt, r, path + ": " + problem);
  }
}

}  // namespace fhir
