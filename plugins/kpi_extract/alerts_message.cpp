#include "alerts_message.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSONString.h>

#include <algorithm>
#include <cctype>
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

std::string intro(const std::string& as_at) {
  return "EHC needs assessments that reached an alert threshold as at " + as_at +
         " (statutory clock: SEND Regulations 2014).\n";
}

// A webhook's message with `text` as its text.
Poco::JSON::Object::Ptr message_object(const std::string& format, const std::string& text) {
  Poco::JSON::Object::Ptr message = new Poco::JSON::Object;
  if (format != "teams") {
    message->set("text", text);
    return message;
  }
  // A Workflows webhook's message: one Adaptive Card.
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
  return message;
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

unsigned sections_of(const Alert& a) {
  unsigned bits = 0;
  for (std::size_t i = 0; i < kSectionCount; ++i)
    if (kSections[i].holds(a)) bits |= 1U << i;
  return bits;
}

std::string digest_subject(const DigestHead& d, const std::string& as_at) {
  const auto n = d.cases;
  return "SEND clinic alerts as at " + as_at + ": " + std::to_string(n) + (n == 1 ? " case needs" : " cases need") + " action";
}

MessageWriter MessageWriter::email(const DigestHead& d, const MailHeader& h, const std::string& as_at, Out out) {
  MessageWriter w(false, std::move(out));
  w.out_("Date: " + h.date + "\r\nFrom: " + clean(h.from) + "\r\nTo: " + clean(d.recipient) + "\r\nSubject: " +
         digest_subject(d, as_at) + "\r\nMessage-ID: <" + h.message_id + ">\r\nMIME-Version: 1.0\r\n"
         "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n");
  w.text(intro(as_at));
  return w;
}

// The JSON is Poco's, around a placeholder its text then stands in for, escaped as Poco
// escapes it, a line at a time.
MessageWriter MessageWriter::webhook(const DigestHead& d, const std::string& format, const std::string& as_at, Out out) {
  static const std::string kPlaceholder = "@sendhub-text@";
  std::ostringstream json;
  message_object(format, kPlaceholder)->stringify(json);
  const std::string whole = json.str();
  const auto at = whole.find(kPlaceholder);
  MessageWriter w(true, std::move(out));
  w.suffix_ = whole.substr(at + kPlaceholder.size());
  w.out_(std::string_view(whole).substr(0, at));
  w.text(digest_subject(d, as_at) + "\n\n" + intro(as_at));
  return w;
}

void MessageWriter::line(std::size_t section, const Alert& a) {
  if (section != section_) text("\n" + std::string(kSections[section].title) + "\n");
  section_ = section;
  text("  " + line_of(a) + "\n");
}

void MessageWriter::finish() {
  text("\nCase references and person keys only: open the case in the case-management system "
       "(or `sendhub explain <person key>`).\n");
  if (json_) out_(suffix_);
}

void MessageWriter::text(std::string_view body) {
  std::string out;
  if (json_) {
    out = Poco::toJSON(std::string(body), 0);   // Poco::JSON::Object's own escaping, unquoted
  } else {
    for (char c : body) out += c == '\n' ? std::string_view("\r\n") : std::string_view(&c, 1);
  }
  out_(out);
}

}  // namespace kpi
