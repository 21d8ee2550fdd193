#include "fhir_fetcher.h"

#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeParser.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Timestamp.h>
#include <Poco/URI.h>

#include <algorithm>
#include <thread>
#include <utility>

namespace fhir {
namespace {

using sendhub::Error;
using sendhub::Where;

HttpOptions http_options(const sendhub::Settings& s, sendhub::HostContext* log) {
  HttpOptions o;
  o.max_body = static_cast<std::size_t>(s.integer("max_page_bytes"));
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

// What an error answer may say in our logs and run table: the status, the FHIR issue code
// (a token of a closed code system) and the size. Never its diagnostics text: a server
// may put a patient's name or NHS number there, or newlines that forge log lines.
std::string outcome_summary(const HttpResponse& r) {
  std::string code;
  try {
    auto o = Poco::JSON::Parser().parse(r.body).extract<Poco::JSON::Object::Ptr>();
    auto issues = o && o->optValue<std::string>("resourceType", "") == "OperationOutcome" ? o->getArray("issue") : nullptr;
    auto first = issues && issues->size() > 0 ? issues->getObject(0) : nullptr;
    if (first) code = first->optValue<std::string>("code", "");
  } catch (const std::exception&) {
  }
  const bool token = !code.empty() && code.size() <= 32 &&
                     std::all_of(code.begin(), code.end(), [](char c) { return (c >= 'a' && c <= 'z') || c == '-'; });
  return "HTTP " + std::to_string(r.status) + (token ? ", OperationOutcome issue code " + code : "") + ", " +
         std::to_string(r.body.size()) + " bytes of body (not shown)";
}

}  // namespace

FhirFetcher::FhirFetcher(const sendhub::Settings& settings, sendhub::HostContext* log)
    : log_(log), http_(http_options(settings, log)), tokens_(settings, http_) {
  policy_.max_retries = static_cast<int>(settings.integer("max_retries"));
  policy_.backoff_ms = static_cast<long>(settings.integer("backoff_ms"));
  policy_.retry_after_cap_s = static_cast<long>(settings.integer("retry_after_cap_s"));
  deadline_ = std::chrono::steady_clock::now() + std::chrono::seconds(settings.integer("deadline_s"));
}

long FhirFetcher::seconds_left(const std::string& path) const {
  const auto left = std::chrono::duration_cast<std::chrono::seconds>(deadline_ - std::chrono::steady_clock::now()).count();
  if (left <= 0)
    throw Error(Where{path, 0, ""}, "deadline_s", "fhir.deadline", "the source ran past its deadline (deadline_s); stopped");
  return static_cast<long>(left);
}

void FhirFetcher::wait(int attempt, const HttpResponse& r, const std::string& why) {
  long ms;
  if (long after = retry_after_s(r); after >= 0 && (r.status == 429 || r.status == 503)) {
    ms = std::min(after, policy_.retry_after_cap_s) * 1000;
  } else {
    const long base = policy_.backoff_ms << std::min(attempt, 10);
    ms = std::min(base + std::uniform_int_distribution<long>(0, base / 2)(jitter_), 60000L);
  }
  ms = std::min<long>(ms, seconds_left(why) * 1000);
  if (log_) log_->log(sendhub::LogLevel::warning, why + "; trying again in " + std::to_string(ms) + " ms");
  std::this_thread::sleep_for(std::chrono::milliseconds(ms));
}

Page FhirFetcher::get_page(const std::string& url) {
  const std::string path = Poco::URI(url).getPath();
  bool refreshed = false;
  for (int attempt = 0;; ++attempt) {
    std::vector<std::string> headers{"Accept: application/fhir+json"};
    if (auto auth = tokens_.header(); !auth.empty()) headers.push_back(auth);
    HttpResponse r = http_.get(url, headers, seconds_left(path));
    const bool retries_left = attempt < policy_.max_retries;
    std::string problem;
    if (r.too_large) {
      throw Error(Where{path, 0, ""}, "max_page_bytes", "fhir.size", r.error_text + "; lower page_size or raise max_page_bytes");
    } else if (r.error != CURLE_OK) {
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
      throw Error(Where{path, 0, ""}, "", "fhir.http", outcome_summary(r));
    } else {
      try {
        FlatPage flat(r.body);
        if (flat.object()) return {std::move(r.body), std::move(flat)};
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
