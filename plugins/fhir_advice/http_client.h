// http_client.h: every HTTP call of the connector goes through one libcurl easy handle,
// reused so connections stay alive between pages. TLS is verified unless the
// configuration says otherwise in so many words; redirects are not followed (a token
// must never travel to another host).
#pragma once

#include <curl/curl.h>

#include <map>
#include <string>
#include <vector>

namespace fhir {

struct HttpOptions {
  long connect_timeout_s = 10;
  long timeout_s = 60;
  std::string ca_bundle;          // empty: the system's
  bool verify_tls = true;
  std::size_t max_body = std::size_t{16} << 20;   // decompressed bytes; more is refused
};

struct HttpResponse {
  long status = 0;                // HTTP status; 200 for a file:// read that worked
  std::string body;
  std::map<std::string, std::string> headers;   // names lower-cased
  CURLcode error = CURLE_OK;      // transport failure, if any
  std::string error_text;
  bool too_large = false;         // the body passed max_body and was cut off
};

class HttpClient {
 public:
  explicit HttpClient(HttpOptions options);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // timeout_s: this request's whole-time limit (at most the configured one).
  HttpResponse get(const std::string& url, const std::vector<std::string>& headers, long timeout_s = 0);
  HttpResponse post_form(const std::string& url, const std::string& form, const std::vector<std::string>& headers);
  std::string escape(const std::string& text);

 private:
  HttpResponse perform(const std::string& url, const std::vector<std::string>& headers, long timeout_s);
  CURL* curl_;
  HttpOptions options_;
};

}  // namespace fhir
