// alerts_message.h: who receives which alert, and the messages (shared/spec/clinic.md §3).
// The routing table is the council's `case_officer,email,team`; a case whose officer is
// missing or unknown goes to the fallback address; the service lead receives every case. A
// digest is one message per recipient: an e-mail (RFC 5322, plain text) or a webhook's JSON
// (Slack's `text`, or a Teams Adaptive Card). Both carry the case reference and person_key,
// never a name, birth date, address or identifier.
#pragma once

#include "text.h"

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "alerts_book.h"
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

// The sections of a digest, in the order a clinic reads them; an alert is listed in every
// section whose bit sections_of sets.
constexpr std::size_t kSectionCount = 4;
unsigned sections_of(const Alert& a);

struct MailHeader {
  std::string from, date, message_id;   // date: RFC 5322
};

std::string digest_subject(const DigestHead& d, const std::string& as_at);

// A digest's message written as its lines come, a piece at a time to `out`, so a digest of
// any length costs no more memory than one line: an e-mail as it goes over SMTP (headers, a
// blank line, the plain-text body; CRLF line ends) or a webhook's JSON (Slack's `text`, or a
// Teams Adaptive Card) holding the subject and the same body.
class MessageWriter {
 public:
  using Out = std::function<void(std::string_view)>;
  static MessageWriter email(const DigestHead& d, const MailHeader& h, const std::string& as_at, Out out);
  // format: slack or teams.
  static MessageWriter webhook(const DigestHead& d, const std::string& format, const std::string& as_at, Out out);

  // One line of a section (0 to kSectionCount - 1); sections in order, each titled before its
  // first line, so a section without lines is left out.
  void line(std::size_t section, const Alert& a);
  void finish();

 private:
  MessageWriter(bool json, Out out) : json_(json), out_(std::move(out)) {}
  void text(std::string_view body);   // body text: CRLF line ends, or JSON-escaped
  bool json_;
  Out out_;
  std::string suffix_;   // the JSON after the text
  std::size_t section_ = kSectionCount;
};

}  // namespace kpi
