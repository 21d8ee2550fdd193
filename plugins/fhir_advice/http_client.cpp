#include "http_client.h"

#include <algorithm>
#include <cctype>
#include <mutex>
#include <stdexcept>

namespace fhir {
namespace {

struct BodySink {
  HttpResponse* response;
  std::size_t max;
};

// libcurl hands over decompressed bytes: the cap holds for a gzip bomb as for an
// endless plain body. Returning less than given aborts the transfer.
std::size_t on_body(char* data, std::size_t size, std::size_t n, void* out) {
  auto* sink = static_cast<BodySink*>(out);
  if (sink->response->body.size() + size * n > sink->max) {
    sink->response->too_large = true;
    return 0;
  }
  sink->response->body.append(data, size * n);
  return size * n;
}

std::size_t on_header(char* data, std::size_t size, std::size_t n, void* out) {
  std::string line(data, size * n);
  auto colon = line.find(':');
  if (colon != std::string::npos) {
    std::string name = line.substr(0, colon);
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    std::string value = line.substr(colon + 1);
    value.erase(0, value.find_first_not_of(" \t"));
    value.erase(value.find_last_not_of(" \t\r\n") + 1);
    auto& headers = *static_cast<std::map<std::string, std::string>*>(out);
    if (headers.size() < 100 || headers.count(name)) headers[name] = value;  // a flood of names stops here
  }
  return size * n;
}

}  // namespace

HttpClient::HttpClient(HttpOptions options) : options_(std::move(options)) {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  curl_ = curl_easy_init();
  if (!curl_) throw std::runtime_error("libcurl could not start");
}

HttpClient::~HttpClient() { curl_easy_cleanup(curl_); }

std::string HttpClient::escape(const std::string& text) {
  char* e = curl_easy_escape(curl_, text.c_str(), static_cast<int>(text.size()));
  std::string out = e ? e : "";
  curl_free(e);
  return out;
}

HttpResponse HttpClient::perform(const std::string& url, const std::vector<std::string>& headers, long timeout_s) {
  HttpResponse r;
  BodySink body{&r, options_.max_body};
  curl_slist* list = nullptr;
  for (const auto& h : headers) list = curl_slist_append(list, h.c_str());
  char error[CURL_ERROR_SIZE] = {0};
  curl_easy_setopt(curl_, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl_, CURLOPT_HTTPHEADER, list);
  curl_easy_setopt(curl_, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(curl_, CURLOPT_WRITEDATA, &body);
  curl_easy_setopt(curl_, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(curl_, CURLOPT_HEADERDATA, &r.headers);
  curl_easy_setopt(curl_, CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(curl_, CURLOPT_PROTOCOLS_STR, "http,https,file");
  curl_easy_setopt(curl_, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(curl_, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl_, CURLOPT_ACCEPT_ENCODING, "");
  curl_easy_setopt(curl_, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(curl_, CURLOPT_CONNECTTIMEOUT, options_.connect_timeout_s);
  curl_easy_setopt(curl_, CURLOPT_TIMEOUT, timeout_s > 0 ? std::min(timeout_s, options_.timeout_s) : options_.timeout_s);
  curl_easy_setopt(curl_, CURLOPT_SSL_VERIFYPEER, options_.verify_tls ? 1L : 0L);
  curl_easy_setopt(curl_, CURLOPT_SSL_VERIFYHOST, options_.verify_tls ? 2L : 0L);
  if (!options_.ca_bundle.empty()) curl_easy_setopt(curl_, CURLOPT_CAINFO, options_.ca_bundle.c_str());
  r.error = curl_easy_perform(curl_);
  curl_slist_free_all(list);
  curl_easy_setopt(curl_, CURLOPT_HTTPHEADER, nullptr);
  if (r.error != CURLE_OK) {
    r.error_text = r.too_large ? "the answer is larger than max_page_bytes (" + std::to_string(options_.max_body) + ")"
                               : error[0] ? error : curl_easy_strerror(r.error);
    return r;
  }
  curl_easy_getinfo(curl_, CURLINFO_RESPONSE_CODE, &r.status);
  if (r.status == 0 && url.rfind("file:", 0) == 0) r.status = 200;
  return r;
}

HttpResponse HttpClient::get(const std::string& url, const std::vector<std::string>& headers, long timeout_s) {
  curl_easy_setopt(curl_, CURLOPT_HTTPGET, 1L);
  return perform(url, headers, timeout_s);
}

HttpResponse HttpClient::post_form(const std::string& url, const std::string& form,
                                   const std::vector<std::string>& headers) {
  curl_easy_setopt(curl_, CURLOPT_POST, 1L);
  curl_easy_setopt(curl_, CURLOPT_POSTFIELDSIZE, static_cast<long>(form.size()));
  curl_easy_setopt(curl_, CURLOPT_COPYPOSTFIELDS, form.c_str());
  auto all = headers;
  all.push_back("Content-Type: application/x-www-form-urlencoded");
  auto r = perform(url, all, 0);
  curl_easy_setopt(curl_, CURLOPT_HTTPGET, 1L);
  return r;
}

}  // namespace fhir
