// alerts_message.h: who receives which alert, and the messages (shared/spec/clinic.md §3).
// The routing table is the council's `case_officer,email,team`; a case whose officer is
// missing or unknown goes to the fallback address; the service lead receives every case. A
// digest is one message per recipient: an e-mail (RFC 5322, plain text) or a webhook's JSON
// (Slack's `text`, or a Teams Adaptive Card). Both carry the case reference and person_key,
// never a name, birth date, address or identifier.
#pragma once

#include "text.h"

#include <map>
#include <string>
#include <vector>

#include "alerts_due.h"

namespace kpi {

class Routing {
 public:
  // routing_file may be "" (every case then goes to the fallback and the lead).
  Routing(const std::string& routing_file, const std::string& lead, const std::string& fallback);
  // The addresses an alert goes to: its officer's (or the fallback), and the lead's, once each.
  std::vector<std::string> recipients(const Alert& a) const;

 private:
  std::map<std::string, std::string> email_of_;   // officer, trimmed and lower-cased
  std::string lead_, fallback_;
};

// Trimmed and lower-cased: how officers' names and addresses are compared.
using plugin_support::folded;

struct Digest {
  std::string recipient;        // an address, or "webhook"
  std::vector<Alert> alerts;    // most urgent first
};

struct MailHeader {
  std::string from, date, message_id;   // date: RFC 5322
};

std::string digest_subject(const Digest& d, const std::string& as_at);
// The digest's body: one section per kind of threshold, one line per case.
std::string digest_body(const Digest& d, const std::string& as_at);
// The whole message as it goes over SMTP: headers, a blank line, the body; CRLF line ends.
std::string email_message(const Digest& d, const MailHeader& h, const std::string& as_at);
// format: slack or teams.
std::string webhook_json(const Digest& d, const std::string& format, const std::string& as_at);

}  // namespace kpi
