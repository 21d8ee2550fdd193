// fhir_plugin.cpp: registers the fhir_advice connector (a source) with the host.
#include "fhir_source.h"

namespace {

void register_fhir(sendhub::Registry& registry) {
  sendhub::ConnectorInfo info;
  info.name = "fhir_advice";
  info.version = "1.0.0";
  info.description = "health advice requests as FHIR R4 Task resources, paged and incremental (interfaces.md §5)";
  info.source_keys = {
      {"base_url", "string", true, "", false, "FHIR R4 base, e.g. https://fhir.example.nhs.uk/R4; file://DIR reads Task.json and its next pages from disk"},
      {"token_env", "string", false, "", true, "environment variable holding a static bearer token"},
      {"token_url", "string", false, "", false, "OAuth2 token endpoint (client credentials)"},
      {"client_id", "string", false, "", false, "OAuth2 client id"},
      {"client_secret_env", "string", false, "", true, "environment variable holding the OAuth2 client secret"},
      {"scope", "string", false, "", false, "OAuth2 scope"},
      {"page_size", "integer", false, "100", false, "_count per page", 1, 1000},
      {"overlap_s", "integer", false, "300", false, "seconds before the high-water mark to ask from again (clock skew, equal timestamps)", 0, 86400},
      {"since", "string", false, "", false, "first run only: ask from this instant (ISO 8601); default everything"},
      {"advice_types", "object", false, "", false, "Task.code code -> health, educational_psychology, social_care or other"},
      {"max_retries", "integer", false, "4", false, "retries of a page after 429, 5xx, timeouts or broken bodies", 0, 20},
      {"backoff_ms", "integer", false, "500", false, "first back-off; doubles each retry, plus jitter", 0, 60000},
      {"retry_after_cap_s", "integer", false, "60", false, "longest Retry-After honoured", 0, 3600},
      {"connect_timeout_s", "integer", false, "10", false, "connect timeout", 1, 600},
      {"timeout_s", "integer", false, "60", false, "whole-request timeout (0 is refused: it would mean none)", 1, 3600},
      {"max_page_bytes", "integer", false, "16777216", false, "largest page accepted, after decompression (an endless or bomb body stops here)", 1024, 1073741824},
      {"max_pages", "integer", false, "10000", false, "most pages one run follows (next links that never end stop here)", 1, 10000000},
      {"deadline_s", "integer", false, "3600", false, "longest time the whole source may take, retries included", 1, 86400},
      {"memory_mb", "integer", false, "16", false, "the Tasks read in a run (id, instant, version) held in memory before they move to a temporary file (0: from the start)", 0, 4096},
      {"max_clock_skew_s", "integer", false, "300", false, "a Task whose meta.lastUpdated is further than this in the future is quarantined", 0, 86400},
      {"ca_bundle", "path", false, "", false, "CA certificates to verify the server with (default: the system's)"},
      {"insecure_skip_tls_verify", "boolean", false, "false", false, "turn TLS verification off (warned on every run)"},
      {"allow_plain_http", "boolean", false, "false", false, "allow http:// to a host other than this machine"},
  };
  info.make_source = [] { return std::make_unique<fhir::FhirSource>(); };
  registry.add(std::move(info));
}

}  // namespace

SENDHUB_PLUGIN(register_fhir)
