#include "alerts_transport.h"

#include <curl/curl.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <stdexcept>

namespace kpi {
namespace {

std::string host_of(const std::string& url) {
  CURLU* u = curl_url();
  std::string host;
  char* h = nullptr;
  if (curl_url_set(u, CURLUPART_URL, url.c_str(), CURLU_NON_SUPPORT_SCHEME) == CURLUE_OK &&
      curl_url_get(u, CURLUPART_HOST, &h, 0) == CURLUE_OK) {
    host = h;
    curl_free(h);
  }
  curl_url_cleanup(u);
  return host;
}

std::string scheme_of(const std::string& url) {
  const auto colon = url.find("://");
  std::string s = colon == std::string::npos ? "" : url.substr(0, colon);
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// The message is read from its file as libcurl sends it; a read error aborts the transfer.
std::size_t read_message(char* out, std::size_t size, std::size_t n, void* data) {
  auto* file = static_cast<std::FILE*>(data);
  const std::size_t len = std::fread(out, 1, size * n, file);
  return std::ferror(file) ? CURL_READFUNC_ABORT : len;
}

std::size_t discard(char*, std::size_t size, std::size_t n, void*) { return size * n; }

// What a failed transfer says, in the words a data engineer can act on.
std::string failure(CURLcode code, const char* detail, const std::string& what) {
  std::string why = code == CURLE_LOGIN_DENIED       ? "the server refused the login (smtp_user_env, smtp_password_env)"
                    : code == CURLE_USE_SSL_FAILED    ? "the server does not offer STARTTLS, and TLS is required off loopback"
                    : code == CURLE_COULDNT_CONNECT   ? "could not connect"
                    : code == CURLE_PEER_FAILED_VERIFICATION ? "the server's TLS certificate was not trusted (ca_bundle)"
                                                     : (detail && *detail ? detail : curl_easy_strerror(code));
  return what + ": " + why;
}

void common(CURL* c, const std::string& url, const std::string& ca_bundle, long timeout_s, char* error) {
  curl_easy_reset(c);
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, std::min(timeout_s, 10L));
  curl_easy_setopt(c, CURLOPT_TIMEOUT, timeout_s);
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
  if (!ca_bundle.empty()) curl_easy_setopt(c, CURLOPT_CAINFO, ca_bundle.c_str());
}

}  // namespace

bool loopback_url(const std::string& url) {
  std::string host = host_of(url);
  if (!host.empty() && host.front() == '[') host = host.substr(1, host.size() - 2);
  return host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

std::string smtp_url_problem(const std::string& url) {
  const std::string scheme = scheme_of(url);
  if (scheme != "smtp" && scheme != "smtps") return "must be smtps://host[:port] or smtp://host[:port] (STARTTLS)";
  if (host_of(url).empty()) return "names no host";
  return "";
}

std::string webhook_url_problem(const std::string& url) {
  const std::string scheme = scheme_of(url);
  if (host_of(url).empty()) return "is not a URL";
  if (scheme == "https" || (scheme == "http" && loopback_url(url))) return "";
  return scheme == "http" ? "must be https:// (plain http only to a loopback host)" : "must be an https:// URL";
}

Transport::Transport() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  curl_ = curl_easy_init();
  if (!curl_) throw std::runtime_error("libcurl could not start");
}

Transport::~Transport() { curl_easy_cleanup(static_cast<CURL*>(curl_)); }

std::string Transport::send_mail(const SmtpOptions& o, const std::string& to, std::FILE* message) {
  CURL* c = static_cast<CURL*>(curl_);
  char error[CURL_ERROR_SIZE] = {0};
  common(c, o.url, o.ca_bundle, o.timeout_s, error);
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  // smtps:// is TLS from the first byte; smtp:// must upgrade with STARTTLS, except to this
  // machine, where a relay without TLS is allowed (and TLS is still used when offered).
  if (scheme_of(o.url) == "smtp") curl_easy_setopt(c, CURLOPT_USE_SSL, loopback_url(o.url) ? CURLUSESSL_TRY : CURLUSESSL_ALL);
  if (!o.user.empty()) {
    curl_easy_setopt(c, CURLOPT_USERNAME, o.user.c_str());
    curl_easy_setopt(c, CURLOPT_PASSWORD, o.password.c_str());
  }
  const std::string from = "<" + o.from + ">";
  curl_easy_setopt(c, CURLOPT_MAIL_FROM, from.c_str());
  curl_slist* rcpt = curl_slist_append(nullptr, ("<" + to + ">").c_str());
  curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
  std::rewind(message);
  curl_easy_setopt(c, CURLOPT_READFUNCTION, read_message);
  curl_easy_setopt(c, CURLOPT_READDATA, message);
  curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
  const CURLcode code = curl_easy_perform(c);
  curl_slist_free_all(rcpt);
  return code == CURLE_OK ? "" : failure(code, error, "SMTP " + o.url);
}

std::string Transport::post_json(const std::string& url, const std::string& ca_bundle, std::FILE* json,
                                 long timeout_s) {
  CURL* c = static_cast<CURL*>(curl_);
  char error[CURL_ERROR_SIZE] = {0};
  common(c, url, ca_bundle, timeout_s, error);
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json");
  headers = curl_slist_append(headers, "Expect:");   // a webhook answers once, never "100 Continue"
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
  std::fseek(json, 0, SEEK_END);
  const long size = std::ftell(json);
  std::rewind(json);
  curl_easy_setopt(c, CURLOPT_POST, 1L);
  curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(size));
  curl_easy_setopt(c, CURLOPT_READFUNCTION, read_message);
  curl_easy_setopt(c, CURLOPT_READDATA, json);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
  const CURLcode code = curl_easy_perform(c);
  long status = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  curl_slist_free_all(headers);
  // The webhook's URL is a secret: the failure names the host only.
  const std::string what = "webhook at " + host_of(url);
  if (code != CURLE_OK) return failure(code, error, what);
  return status >= 200 && status < 300 ? "" : what + ": answered HTTP " + std::to_string(status);
}

}  // namespace kpi
