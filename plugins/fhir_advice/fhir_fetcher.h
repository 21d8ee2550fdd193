// fhir_fetcher.h: one FHIR JSON page by URL (its text, and what the source reads of it), with the retry
// policy: 429 and 503 honour Retry-After (capped); other 5xx, timeouts, broken connections,
// truncated or malformed bodies back off exponentially with jitter up to max_retries; a 401 fetches
// a new token once; other 4xx stop with the status and the OperationOutcome's issue code
// (never its diagnostics). A body over max_page_bytes stops the source, and so does the
// source's deadline (deadline_s), retries included. Errors name the URL's path, never its
// query.
#pragma once

#include <chrono>
#include <random>
#include <string>

#include "flat_page.h"
#include "http_client.h"
#include "sendhub/plugin.h"
#include "token_provider.h"

namespace fhir {

struct RetryPolicy {
  int max_retries = 4;
  long backoff_ms = 500;
  long retry_after_cap_s = 60;
};

// A page as it came and as read (flat_page.h): a quarantined Task is kept in the page's own text.
struct Page {
  std::string text;
  FlatPage flat;
};

class FhirFetcher {
 public:
  FhirFetcher(const sendhub::Settings& settings, sendhub::HostContext* log);
  // A JSON object, else an error once the retries are spent.
  Page get_page(const std::string& url);
  HttpClient& http() { return http_; }
  TokenProvider& tokens() { return tokens_; }

 private:
  void wait(int attempt, const HttpResponse& r, const std::string& why);
  // Seconds until the source's deadline; throws Error once it has passed.
  long seconds_left(const std::string& path) const;
  std::chrono::steady_clock::time_point deadline_;
  sendhub::HostContext* log_;
  HttpClient http_;
  TokenProvider tokens_;
  RetryPolicy policy_;
  std::mt19937 jitter_{std::random_device{}()};
};

}  // namespace fhir
