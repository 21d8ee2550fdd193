// The alerts sink: one walk of the dataset finds the alerts due at the as-at date; what a
// recipient was sent before (the sink's state in the store) is left out; each recipient gets
// one digest, kept in an AlertBook (memory, then a temporary file) and written as a message a line at a time.
// A digest sent is recorded at once, so it is never sent twice whatever happens
// next; one that fails is kept in the store as pending, sent with the next run's, and the run
// fails (exit 3) naming it, so an alert is never silently lost.
#include "alerts_sink.h"

#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Timestamp.h>
#include <Poco/UUIDGenerator.h>

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "alerts_book.h"
#include "alerts_message.h"
#include "alerts_transport.h"

namespace kpi {
namespace {

using sendhub::Error;
using sendhub::Where;

constexpr const char* kSent = "sent|";
constexpr const char* kPending = "pending|";
constexpr const char* kWebhook = "webhook";

Error bad(const std::string& key, const std::string& why) { return Error(Where{}, key, "config.value", key + " " + why); }

std::vector<long> thresholds_of(const sendhub::Settings& s) {
  if (!s.has("thresholds_days")) return {14, 7};
  std::vector<long> out;
  auto parsed = Poco::JSON::Parser().parse(s.json("thresholds_days"));
  auto array = parsed.extract<Poco::JSON::Array::Ptr>();
  for (std::size_t i = 0; array && i < array->size(); ++i) {
    const auto& v = array->get(i);
    if (!v.isInteger() || v.convert<long>() < 0 || v.convert<long>() > 366)
      throw bad("thresholds_days", "must be a list of whole days from 0 to 366, e.g. [14, 7]");
    out.push_back(v.convert<long>());
  }
  if (out.empty()) throw bad("thresholds_days", "must list at least one number of days");
  return out;
}

// Where a digest goes, as the log may say it: never an address.
std::string role_of(const std::string& recipient, const sendhub::Settings& s) {
  if (recipient == kWebhook) return "the webhook";
  if (s.has("lead") && recipient == folded(s.text("lead"))) return "the service lead";
  if (s.has("fallback") && recipient == folded(s.text("fallback"))) return "the fallback address";
  return "a case officer";
}

std::string file_name(const std::string& recipient) {
  if (recipient == kWebhook) return "webhook.json";
  std::string out;
  for (char c : recipient) out += std::isalnum(static_cast<unsigned char>(c)) || c == '@' || c == '.' || c == '-' ? c : '_';
  return out + ".eml";
}

// Alerts found wait here, a batch at a time, while the store says which were sent before (one
// indexed look-up each): memory stays one batch's, however long the history of what was sent
// grows (clinic.md §3's "once only" keeps every key of it, in a live deployment for years).
class Unsent {
 public:
  Unsent(sendhub::SinkContext& ctx, AlertBook& book) : ctx_(ctx), book_(book) {}
  void add(const std::string& to, const Alert& a) {
    keys_.push_back(kSent + to + "|" + a.key());
    waiting_.emplace_back(to, a);
    if (waiting_.size() == kBatch) flush();
  }
  // Into the book, in the order added, those never sent.
  void flush() {
    const auto sent = ctx_.state_values(keys_);
    for (std::size_t i = 0; i < waiting_.size(); ++i)
      if (sent.at(i).empty()) book_.add(waiting_[i].first, waiting_[i].second, sections_of(waiting_[i].second));
    keys_.clear();
    waiting_.clear();
  }

 private:
  static constexpr std::size_t kBatch = 4096;
  sendhub::SinkContext& ctx_;
  AlertBook& book_;
  std::vector<std::string> keys_;
  std::vector<std::pair<std::string, Alert>> waiting_;
};

// Every recipient's alerts that were not sent before, into the book: today's, then those a
// failed send kept (today's count where both hold the same alert).
void alerts_to_send(sendhub::SinkContext& ctx, const Routing& routing, bool mail, bool webhook, AlertBook& book) {
  const auto thresholds = thresholds_of(ctx.settings());
  const std::string d = ctx.as_at();
  Unsent unsent(ctx, book);
  ctx.each_person({}, [&](sendhub::PersonGroup& group) {
    const Model model(ctx, group);
    for (const auto& a : alerts_of(model, d, thresholds)) {
      if (mail)
        for (const auto& to : routing.recipients(a)) unsent.add(to, a);
      if (webhook) unsent.add(kWebhook, a);
    }
  });
  for (const auto& [key, line] : ctx.state(kPending)) {   // pending|<recipient>|<alert key>
    const auto bar = key.find('|', std::char_traits<char>::length(kPending));
    if (bar != std::string::npos) unsent.add(key.substr(std::char_traits<char>::length(kPending), bar - std::char_traits<char>::length(kPending)), Alert::parse(line));
  }
  unsent.flush();
}

// Writes a digest's lines, section by section, into a message.
void write_lines(AlertBook& book, const DigestHead& head, MessageWriter& w) {
  for (std::size_t i = 0; i < kSectionCount; ++i)
    book.each_in_section(head.recipient, 1U << i, [&](const Alert& a) { w.line(i, a); });
  w.finish();
}

// A message on its way out: a private temporary file (0600, TMPDIR, removed at once), which
// libcurl reads as it sends, so no digest is ever one string in memory.
class MessageFile {
 public:
  MessageFile() {
    std::error_code no_folder;
    const auto folder = std::filesystem::temp_directory_path(no_folder);
    if (no_folder) throw Error(Where{}, "", "io", "cannot write an alert message to a temporary file (TMPDIR): " + no_folder.message());
    std::string path = (folder / "sendhub-alert-XXXXXX").string();
    const int fd = ::mkstemp(path.data());
    if (fd >= 0) ::unlink(path.c_str());
    file_ = fd >= 0 ? ::fdopen(fd, "w+b") : nullptr;
    if (!file_) {
      if (fd >= 0) ::close(fd);
      throw Error(Where{}, "", "io", "cannot write an alert message to a temporary file (TMPDIR): " + std::string(std::strerror(errno)));
    }
  }
  ~MessageFile() { std::fclose(file_); }
  MessageFile(const MessageFile&) = delete;
  MessageFile& operator=(const MessageFile&) = delete;
  MessageWriter::Out out() {
    return [this](std::string_view piece) {
      if (std::fwrite(piece.data(), 1, piece.size(), file_) != piece.size())
        throw Error(Where{}, "", "io", "cannot write an alert message to a temporary file (TMPDIR): disk full?");
    };
  }
  std::FILE* get() {
    if (std::fflush(file_) != 0) throw Error(Where{}, "", "io", "cannot write an alert message to a temporary file (TMPDIR)");
    return file_;
  }

 private:
  std::FILE* file_ = nullptr;
};

class AlertsSink final : public sendhub::Sink {
 public:
  void check(const sendhub::Settings& s) override {
    if (s.has("smtp_url")) {
      if (auto why = smtp_url_problem(s.text("smtp_url")); !why.empty()) throw bad("smtp_url", why);
      if (!s.has("from")) throw bad("from", "is required with smtp_url (the sender's address)");
      if (!s.has("lead") && !s.has("fallback") && !s.has("routing"))
        throw bad("smtp_url", "has nobody to write to: set lead, fallback or routing");
    }
    if (!s.has("smtp_url") && !s.has("webhook_url_env")) throw bad("smtp_url", "or webhook_url_env is required: where alerts go");
    if (s.boolean("dry_run") && !s.has("out")) throw bad("out", "is required with dry_run (the folder for the messages)");
    if (s.has("webhook_url_env") && !s.boolean("dry_run"))
      if (auto why = webhook_url_problem(s.secret("webhook_url_env")); !why.empty())
        throw bad("webhook_url_env", "names a URL that " + why);
    if (s.has("webhook_format") && s.text("webhook_format") != "slack" && s.text("webhook_format") != "teams")
      throw bad("webhook_format", "must be slack or teams");
    (void)thresholds_of(s);
  }

  void write(sendhub::SinkContext& ctx) override {
    const auto& s = ctx.settings();
    check(s);
    const bool dry = s.boolean("dry_run"), mail = s.has("smtp_url"), webhook = s.has("webhook_url_env");
    const Routing routing(s.has("routing") ? s.path("routing") : "", s.has("lead") ? s.text("lead") : "",
                          s.has("fallback") ? s.text("fallback") : "");
    AlertBook book(static_cast<std::size_t>(s.integer("memory_mb")) << 20);
    alerts_to_send(ctx, routing, mail, webhook, book);
    if (book.in_file() && s.integer("memory_mb") > 0)
      ctx.log(sendhub::LogLevel::info, "the alerts found passed memory_mb (" + std::to_string(s.integer("memory_mb")) +
                                           "): they were moved to a temporary file");
    if (mail && !dry && loopback_url(s.text("smtp_url")))
      ctx.log(sendhub::LogLevel::info, "SMTP to a loopback host: STARTTLS when offered, plain text allowed");
    std::int64_t alerts = 0, sent = 0;
    std::vector<std::string> failures;
    Transport transport;
    const auto heads = book.heads();
    for (const auto& head : heads) {
      alerts += head.alerts;
      if (dry) {
        write_dry(ctx, book, head);
        continue;
      }
      const std::string why = send(ctx, transport, book, head);
      // Recorded at once, digest by digest: a digest sent is never sent again, whatever
      // becomes of the run; one that failed is kept for the next run.
      book.each_of(head.recipient, [&](const Alert& a) {
        const std::string key = head.recipient + "|" + a.key();
        if (why.empty()) ctx.set_state(kSent + key, "as at " + ctx.as_at());
        ctx.set_state(kPending + key, why.empty() ? "" : a.serialise());
      });
      if (why.empty()) ++sent;
      else failures.push_back(why + ": " + std::to_string(head.alerts) + " alerts to " + role_of(head.recipient, s) + " kept for the next run");
    }
    const std::string summary = std::to_string(heads.size()) + " digests, " + std::to_string(alerts) + " alerts" +
                                (dry ? " written to " + s.text("out") + " (dry run, nothing sent)" : ", " + std::to_string(sent) + " digests sent");
    ctx.note(summary);
    ctx.log(sendhub::LogLevel::info, summary);
    if (failures.empty()) return;
    std::string all;
    for (const auto& f : failures) all += (all.empty() ? "" : "; ") + f;
    throw Error(Where{}, "", "alerts.send", std::to_string(failures.size()) + " of " + std::to_string(heads.size()) +
                                                " digests not sent: " + all);
  }

 private:
  static std::string send(sendhub::SinkContext& ctx, Transport& transport, AlertBook& book, const DigestHead& head) {
    const auto& s = ctx.settings();
    const std::string ca = s.has("ca_bundle") ? s.path("ca_bundle") : "";
    const long timeout = s.integer("timeout_s");
    MessageFile file;
    if (head.recipient == kWebhook) {
      auto w = MessageWriter::webhook(head, s.text("webhook_format"), ctx.as_at(), file.out());
      write_lines(book, head, w);
      return transport.post_json(s.secret("webhook_url_env"), ca, file.get(), timeout);
    }
    SmtpOptions o{s.text("smtp_url"), s.text("from"), "", "", ca, timeout};
    if (s.has("smtp_user_env")) o.user = s.secret("smtp_user_env");
    if (s.has("smtp_password_env")) o.password = s.secret("smtp_password_env");
    const MailHeader h{s.text("from"), Poco::DateTimeFormatter::format(Poco::Timestamp(), Poco::DateTimeFormat::RFC1123_FORMAT),
                       Poco::UUIDGenerator::defaultGenerator().createRandom().toString() + "@sendhub"};
    auto w = MessageWriter::email(head, h, ctx.as_at(), file.out());
    write_lines(book, head, w);
    return transport.send_mail(o, head.recipient, file.get());
  }

  static void write_dry(sendhub::SinkContext& ctx, AlertBook& book, const DigestHead& head) {
    const auto& s = ctx.settings();
    auto f = ctx.create_output(s.path("out") + "/" + ctx.as_at() + "/" + file_name(head.recipient));
    const MessageWriter::Out out = [&f](std::string_view piece) { f->write(piece); };
    auto w = head.recipient == kWebhook
                 ? MessageWriter::webhook(head, s.text("webhook_format"), ctx.as_at(), out)
                 : MessageWriter::email(head, {s.has("from") ? s.text("from") : "sendhub@localhost", "(dry run)", "dry-run@sendhub"},
                                        ctx.as_at(), out);
    write_lines(book, head, w);
    f->commit();
  }
};

}  // namespace

void register_alerts(sendhub::Registry& registry) {
  sendhub::ConnectorInfo info;
  info.name = "alerts";
  info.version = "1.0.0";
  info.description = "deadline alerts of the weekly clinic by e-mail (SMTP) and webhook (Teams, Slack), each sent once (clinic.md §3)";
  info.sink_keys = {
      {"routing", "path", false, "", false, "CSV case_officer,email,team: each officer's address (cases of others go to fallback)"},
      {"lead", "string", false, "", false, "the service lead's address: every case"},
      {"fallback", "string", false, "", false, "address for cases with no case officer or one not in routing"},
      {"thresholds_days", "object", false, "", false, "alert when the next statutory step is due within these days (default [14, 7])"},
      {"smtp_url", "string", false, "", false, "smtps://host:465 or smtp://host:587 (STARTTLS required; plain only to loopback)"},
      {"from", "string", false, "", false, "the sender's address"},
      {"smtp_user_env", "string", false, "", true, "environment variable holding the SMTP login"},
      {"smtp_password_env", "string", false, "", true, "environment variable holding the SMTP password"},
      {"webhook_url_env", "string", false, "", true, "environment variable holding an incoming webhook's URL (Teams, Slack)"},
      {"webhook_format", "string", false, "slack", false, "slack ({\"text\"}) or teams (an Adaptive Card)"},
      {"ca_bundle", "path", false, "", false, "CA certificates for the SMTP server and webhook (default: the system's)"},
      {"timeout_s", "integer", false, "60", false, "seconds one send may take", 1, 600},
      {"dry_run", "boolean", false, "false", false, "write each message into out/<as-at date>/ instead of sending it"},
      {"out", "path", false, "", false, "folder for dry_run's messages"},
      {"memory_mb", "integer", false, "64", false, "the run's alerts held in memory before they move to a temporary file (0: from the start)", 0, 4096},
  };
  info.make_sink = [] { return std::make_unique<AlertsSink>(); };
  registry.add(std::move(info));
}

}  // namespace kpi
