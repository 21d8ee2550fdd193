#include "alerts_message.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <algorithm>
#include <cctype>
#include <set>
#include <sstream>

#include "reference.h"

namespace kpi {

namespace {

// Source text (a case reference) in a message: no control character can end a line, a
// header or the SMTP data.
std::string clean(const std::string& s) {
  std::string out = s;
  for (char& c : out)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
  return out;
}

// The sections of a digest, in the order a clinic reads them.
struct Section {
  const char* title;
  bool (*holds)(const Alert&);
};
const Section kSections[] = {
    {"Statutory step breached", [](const Alert& a) { return a.threshold == "breached"; }},
    {"Statutory step due soon", [](const Alert& a) { return a.threshold.rfind("within_", 0) == 0; }},
    {"Advice overdue (six weeks)", [](const Alert& a) { return a.step.rfind("advice_", 0) == 0; }},
    {"Annual review overdue", [](const Alert& a) { return a.step == "annual_review"; }},
};

std::string line_of(const Alert& a) {
  const std::string left = a.days_left < 0 ? std::to_string(-a.days_left) + " days over"
                                           : std::to_string(a.days_left) + " days left";
  return clean(a.case_ref) + " | person " + a.person_key + " | " + a.stage + " | " + a.step + " due " + a.due + " | " +
         left + (a.threshold.rfind("within_", 0) == 0 ? " (" + a.threshold + ")" : "") +
         (a.week20_exception ? " | week-20 exception" : "");
}

}  // namespace

// Addresses are compared folded, so a lead who is also in the routing file gets one digest.
Routing::Routing(const std::string& routing_file, const std::string& lead, const std::string& fallback)
    : lead_(folded(lead)), fallback_(folded(fallback)) {
  if (routing_file.empty()) return;
  for (const auto& row : read_table(routing_file, {"case_officer", "email", "team"}, "routing"))
    if (!row[0].empty() && !row[1].empty()) email_of_[folded(row[0])] = folded(row[1]);
}

std::vector<std::string> Routing::recipients(const Alert& a) const {
  std::vector<std::string> out;
  auto it = a.case_officer.empty() ? email_of_.end() : email_of_.find(folded(a.case_officer));
  const std::string& first = it != email_of_.end() ? it->second : fallback_;
  if (!first.empty()) out.push_back(first);
  if (!lead_.empty() && lead_ != first) out.push_back(lead_);
  return out;
}

std::string digest_subject(const Digest& d, const std::string& as_at) {
  std::set<std::string> cases;
  for (const auto& a : d.alerts) cases.insert(a.case_ref);
  const auto n = cases.size();
  return "SEND clinic alerts as at " + as_at + ": " + std::to_string(n) + (n == 1 ? " case needs" : " cases need") + " action";
}

std::string digest_body(const Digest& d, const std::string& as_at) {
  std::string out = "EHC needs assessments that reached an alert threshold as at " + as_at +
                    " (statutory clock: SEND Regulations 2014).\n";
  for (const auto& section : kSections) {
    std::string lines;
    for (const auto& a : d.alerts)
      if (section.holds(a)) lines += "  " + line_of(a) + "\n";
    if (!lines.empty()) out += "\n" + std::string(section.title) + "\n" + lines;
  }
  return out + "\nCase references and person keys only: open the case in the case-management system "
               "(or `sendhub explain <person key>`).\n";
}

std::string email_message(const Digest& d, const MailHeader& h, const std::string& as_at) {
  std::string body = digest_body(d, as_at), crlf;
  for (char c : body) crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
  return "Date: " + h.date + "\r\nFrom: " + clean(h.from) + "\r\nTo: " + clean(d.recipient) + "\r\nSubject: " +
         digest_subject(d, as_at) + "\r\nMessage-ID: <" + h.message_id + ">\r\nMIME-Version: 1.0\r\n"
         "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" + crlf;
}

std::string webhook_json(const Digest& d, const std::string& format, const std::string& as_at) {
  const std::string text = digest_subject(d, as_at) + "\n\n" + digest_body(d, as_at);
  Poco::JSON::Object::Ptr message = new Poco::JSON::Object;
  if (format == "teams") {   // a Workflows webhook's message: one Adaptive Card
    Poco::JSON::Object::Ptr block = new Poco::JSON::Object, card = new Poco::JSON::Object,
                            attachment = new Poco::JSON::Object;
    block->set("type", "TextBlock");
    block->set("text", text);
    block->set("wrap", true);
    Poco::JSON::Array::Ptr body = new Poco::JSON::Array, attachments = new Poco::JSON::Array;
    body->add(block);
    card->set("type", "AdaptiveCard");
    card->set("version", "1.4");
    card->set("body", body);
    attachment->set("contentType", "application/vnd.microsoft.card.adaptive");
    attachment->set("content", card);
    attachments->add(attachment);
    message->set("type", "message");
    message->set("attachments", attachments);
  } else {
    message->set("text", text);
  }
  std::ostringstream out;
  message->stringify(out);
  return out.str();
}

}  // namespace kpi
