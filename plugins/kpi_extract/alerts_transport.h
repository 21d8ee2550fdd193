// alerts_transport.h: how a digest leaves the hub, every call through libcurl. E-mail over
// SMTP: `smtps://` (TLS from the start) or `smtp://` with STARTTLS required; plain SMTP only to
// a loopback host (said in the log). A webhook: a JSON POST over HTTPS (plain HTTP only to
// loopback). TLS is always verified (ca_bundle for a private CA); redirects are never followed.
// A failed send returns what went wrong, never the message.
#pragma once

#include <cstdio>
#include <string>
#include <vector>

namespace kpi {

struct SmtpOptions {
  std::string url, from, user, password, ca_bundle;
  long timeout_s = 60;
};

// Whether a URL's host is this machine (localhost, 127.0.0.0/8, ::1).
bool loopback_url(const std::string& url);
// What is wrong with an SMTP or webhook URL ("" when fine): scheme, plain text off loopback.
std::string smtp_url_problem(const std::string& url);
std::string webhook_url_problem(const std::string& url);

class Transport {
 public:
  Transport();
  ~Transport();
  Transport(const Transport&) = delete;
  Transport& operator=(const Transport&) = delete;

  // "" when the server accepted the message for every recipient, else why not. The message
  // (or the JSON) is read from the file, from its start, as it is sent.
  std::string send_mail(const SmtpOptions& o, const std::string& to, std::FILE* message);
  std::string post_json(const std::string& url, const std::string& ca_bundle, std::FILE* json, long timeout_s);

 private:
  void* curl_;
};

}  // namespace kpi
