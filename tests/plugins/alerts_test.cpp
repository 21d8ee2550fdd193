// Issue 28.3-4: the alerts sink against real servers, started here and stopped after each
// test: an SMTP server (Debian's aiosmtpd) and a webhook receiver on loopback. The casework of
// clinic_fixture.h has known clocks, so the alerts each recipient must get are known.
#include <gtest/gtest.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <sys/stat.h>

#include <arpa/inet.h>

#include <algorithm>
#include <map>
#include <set>
#include <sstream>

#include "alert_servers.h"
#include "clinic_fixture.h"

namespace sendhub {
namespace {

const char* kRouting = "case_officer,email,team\nOfficer A,a@council.example,North\nOfficer B,b@council.example,South\n";

// The alerts sink's configuration: mail to url (when given), the webhook (when hook).
std::string alerts_sink(const std::string& url, const std::string& ca, bool hook, const std::string& more = "") {
  std::string s = R"([{"name": "alerts", "connector": "alerts", "routing": "routing.csv", "lead": "lead@council.example",
                     "fallback": "duty@council.example", "thresholds_days": [14, 7])";
  if (!url.empty())
    s += R"(, "smtp_url": ")" + url + R"(", "from": "sendhub@council.example")" + (ca.empty() ? "" : R"(, "ca_bundle": ")" + ca + "\"");
  if (hook) s += R"(, "webhook_url_env": "SENDHUB_TEST_HOOK", "webhook_format": "teams")";
  return s + more + "}]";
}

struct Hub {
  test::TempDir dir;
  std::string env;
  std::string config(const std::string& sinks) {
    test::write_file(dir / "routing.csv", kRouting);
    return test::casework_config(dir, sinks);
  }
  test::Result run(const std::string& cfg, const std::string& as_at) {
    return test::run(env + " " SENDHUB_BINARY " run --as-at " + as_at + " --config " + cfg);
  }
};

// Per recipient, the alerts its messages held: "case step threshold-ish" lines' first two words.
std::map<std::string, std::multiset<std::string>> received(const std::vector<test::Mail>& mails) {
  std::map<std::string, std::multiset<std::string>> out;
  for (const auto& m : mails) {
    EXPECT_EQ(m.to.size(), 1u);
    std::istringstream body(m.data);
    for (std::string line; std::getline(body, line);)
      if (line.rfind("  C", 0) == 0) {
        std::istringstream f(line);
        std::string ref, bar, person, key, bar2, stage, bar3, step;
        f >> ref >> bar >> person >> key >> bar2 >> stage >> bar3 >> step;
        out[m.to.at(0)].insert(ref + " " + step);
      }
  }
  return out;
}

void no_personal_data(const std::string& text) {
  for (const char* p : {"Ashby", "Brook", "Calder", "Dunmore", "Ellery", "Fenwick", "Garside", "Hartley", "2014-03-02",
                        "2012-01-01", "2018-08-08", "2013-04-04"})
    EXPECT_EQ(text.find(p), std::string::npos) << p << " in a message";
}

const std::multiset<std::string> kOfficerA{"C2 decision_to_assess"};
const std::multiset<std::string> kOfficerB{"C3 decision_to_assess", "C4 draft_or_notice_not_to_issue",
                                           "C4 advice_educational_psychology"};
const std::multiset<std::string> kFallback{"C5 final_plan", "C8 annual_review"};

std::multiset<std::string> all_of(std::initializer_list<const std::multiset<std::string>*> sets) {
  std::multiset<std::string> out;
  for (auto* s : sets) out.insert(s->begin(), s->end());
  return out;
}

TEST(Alerts, EachRecipientGetsItsDigestOnceOverStarttlsWithLoginAndTheWebhookToo) {
  Hub hub;
  test::SmtpServer smtp(hub.dir / "smtp", "starttls", 0, "clinic", "s3cret");
  test::WebhookReceiver hook;
  hub.env = "SENDHUB_TEST_SMTP_USER=clinic SENDHUB_TEST_SMTP_PASSWORD=s3cret SENDHUB_TEST_HOOK=" + hook.url();
  const auto cfg = hub.config(alerts_sink("smtp://localhost:" + std::to_string(smtp.port()), smtp.ca(), true,
                                          R"(, "smtp_user_env": "SENDHUB_TEST_SMTP_USER", "smtp_password_env": "SENDHUB_TEST_SMTP_PASSWORD")"));
  auto r = hub.run(cfg, "2026-01-15");
  ASSERT_EQ(r.code, 0) << r.output;
  auto got = received(smtp.mails());
  EXPECT_EQ(got.size(), 4u);
  EXPECT_EQ(got["a@council.example"], kOfficerA);
  EXPECT_EQ(got["b@council.example"], kOfficerB);
  EXPECT_EQ(got["duty@council.example"], kFallback) << "no officer (C5), an officer not in routing (C8)";
  EXPECT_EQ(got["lead@council.example"], all_of({&kOfficerA, &kOfficerB, &kFallback}));
  ASSERT_EQ(hook.posts().size(), 1u);
  EXPECT_NE(hook.posts()[0].find("AdaptiveCard"), std::string::npos);
  for (const char* ref : {"C2 |", "C3 |", "C4 |", "C5 |", "C8 |"}) EXPECT_NE(hook.posts()[0].find(ref), std::string::npos) << ref;
  EXPECT_EQ(hook.posts()[0].find("C1 |"), std::string::npos) << "16 days left: no threshold reached";
  for (const auto& m : smtp.mails()) {
    no_personal_data(m.data);
    EXPECT_EQ(m.from, "sendhub@council.example");
    EXPECT_NE(m.data.find("Subject: SEND clinic alerts as at 2026-01-15"), std::string::npos);
  }
  no_personal_data(hook.posts()[0]);
  EXPECT_EQ(r.output.find("s3cret"), std::string::npos) << "no secret in the log";
  EXPECT_EQ(r.output.find("secret-token"), std::string::npos) << "the webhook's URL is a secret";

  // The next day nothing reached a new threshold: nothing is sent again.
  r = hub.run(cfg, "2026-01-16");
  ASSERT_EQ(r.code, 0) << r.output;
  EXPECT_EQ(smtp.mails().size(), 4u);
  EXPECT_EQ(hook.posts().size(), 1u);

  // Five days on, C1 (11 days left) and C6 (13) reach 14 days; C2 and C4 are still within the
  // 7 days already sent.
  r = hub.run(cfg, "2026-01-20");
  ASSERT_EQ(r.code, 0) << r.output;
  const auto mails = smtp.mails();
  ASSERT_EQ(mails.size(), 7u);
  got = received({mails.begin() + 4, mails.end()});
  EXPECT_EQ(got["a@council.example"], (std::multiset<std::string>{"C1 decision_to_assess"}));
  EXPECT_EQ(got["duty@council.example"], (std::multiset<std::string>{"C6 final_plan"}));
  EXPECT_EQ(got["lead@council.example"], (std::multiset<std::string>{"C1 decision_to_assess", "C6 final_plan"}));
  EXPECT_EQ(got.count("b@council.example"), 0u);
  ASSERT_EQ(hook.posts().size(), 2u);
  EXPECT_NE(mails[4].data.find("(within_14)"), std::string::npos);

  r = hub.run(cfg, "2026-01-20");
  ASSERT_EQ(r.code, 0) << r.output;
  EXPECT_EQ(smtp.mails().size(), 7u);
  EXPECT_EQ(hook.posts().size(), 2u);
}

TEST(Alerts, AServerDownIsRetriedNextRunWithNothingLostAndNothingDoubled) {
  Hub hub;
  const int port = test::SmtpServer::free_port();
  test::WebhookReceiver hook;
  hook.answer(503);
  hub.env = "SENDHUB_TEST_HOOK=" + hook.url();
  const auto cfg = hub.config(alerts_sink("smtp://127.0.0.1:" + std::to_string(port), hub.dir / "smtp/certs/server.pem", true));
  auto r = hub.run(cfg, "2026-01-15");
  EXPECT_EQ(r.code, 3) << r.output;
  EXPECT_NE(r.output.find("could not connect"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("answered HTTP 503"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("kept for the next run"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("5 of 5 digests not sent"), std::string::npos) << r.output;

  // The SMTP server comes up; the webhook now takes posts. The alerts kept are sent, once.
  test::SmtpServer smtp(hub.dir / "smtp", "starttls", port);
  hook.answer(200);
  r = hub.run(cfg, "2026-01-16");
  ASSERT_EQ(r.code, 0) << r.output;
  auto got = received(smtp.mails());
  EXPECT_EQ(got["a@council.example"], kOfficerA);
  EXPECT_EQ(got["b@council.example"], kOfficerB);
  EXPECT_EQ(got["duty@council.example"], kFallback);
  EXPECT_EQ(got["lead@council.example"], all_of({&kOfficerA, &kOfficerB, &kFallback}));
  EXPECT_EQ(hook.posts().size(), 1u);

  // Half way: mail goes, the webhook fails; then only the webhook is tried again.
  hook.answer(500);
  r = hub.run(cfg, "2026-01-20");
  EXPECT_EQ(r.code, 3) << r.output;
  EXPECT_NE(r.output.find("1 of 4 digests not sent"), std::string::npos) << r.output;
  EXPECT_EQ(smtp.mails().size(), 7u);
  hook.answer(200);
  r = hub.run(cfg, "2026-01-20");
  ASSERT_EQ(r.code, 0) << r.output;
  EXPECT_EQ(smtp.mails().size(), 7u) << "the mail sent before is not sent again";
  ASSERT_EQ(hook.posts().size(), 2u);
  EXPECT_NE(hook.posts()[1].find("C1 |"), std::string::npos);
  EXPECT_NE(hook.posts()[1].find("C6 |"), std::string::npos);
}

// A live deployment's sent keys grow every day and are all kept (once only): the sink asks the
// store of each alert it finds, a batch at a time, instead of loading them all. 3,000 cases
// give 9,000 alerts to look up, over the batches' edges (4,096 each); alerts whose record of
// being sent is gone are sent again, exactly those.
TEST(Alerts, EachAlertFoundIsLookedUpAmongThoseSentAndOnlyTheForgottenGoAgain) {
  Hub hub;
  test::SmtpServer smtp(hub.dir / "smtp", "starttls");
  test::WebhookReceiver hook;
  hub.env = "SENDHUB_TEST_HOOK=" + hook.url();
  const auto cfg = hub.config(alerts_sink("smtp://localhost:" + std::to_string(smtp.port()), smtp.ca(), true));
  std::string people = "ref,surname,dob,postcode\n";
  std::string requests = "ref,person,received,decided,outcome,aoutcome,adate,week20,draft,officer,team\n";
  std::multiset<std::string> every;
  for (int i = 1; i <= 3000; ++i) {   // each as C2 of the fixture: a decision due in 6 days
    const std::string n = std::to_string(i);
    people += "P" + n + ",S" + n + ",2014-03-" + std::to_string(1 + i % 28) + ",B1 1AA\n";
    requests += "C" + n + ",P" + n + ",2025-12-10,,,,,,,Officer A,North\n";
    every.insert("C" + n + " decision_to_assess");
  }
  test::write_file(hub.dir / "in/people.csv", people);
  test::write_file(hub.dir / "in/requests.csv", requests);
  test::write_file(hub.dir / "in/advice.csv", "ref,request,type,requested,provided,status\n");
  test::write_file(hub.dir / "in/plans.csv", "request,start\n");
  auto r = hub.run(cfg, "2026-01-15");
  ASSERT_EQ(r.code, 0) << r.output;
  auto got = received(smtp.mails());
  EXPECT_EQ(got["a@council.example"], every);
  EXPECT_EQ(got["lead@council.example"], every);
  ASSERT_EQ(smtp.mails().size(), 2u);
  ASSERT_EQ(hook.posts().size(), 1u);
  const std::string db = hub.dir / "store/sendhub.db";
  EXPECT_EQ(test::sql_text(db, "SELECT count(*) FROM sink_state WHERE key LIKE 'sent|%'"), "9000");

  r = hub.run(cfg, "2026-01-15");
  ASSERT_EQ(r.code, 0) << r.output;
  EXPECT_EQ(smtp.mails().size(), 2u) << "every alert was sent before";
  EXPECT_EQ(hook.posts().size(), 1u);

  test::sql_text(db, "DELETE FROM sink_state WHERE key LIKE 'sent|lead@council.example|C1|%' "
                     "OR key LIKE 'sent|lead@council.example|C2048|%' OR key LIKE 'sent|webhook|C3000|%'");
  r = hub.run(cfg, "2026-01-15");
  ASSERT_EQ(r.code, 0) << r.output;
  const auto mails = smtp.mails();
  ASSERT_EQ(mails.size(), 3u);
  got = received({mails.begin() + 2, mails.end()});
  EXPECT_EQ(got["lead@council.example"], (std::multiset<std::string>{"C1 decision_to_assess", "C2048 decision_to_assess"}));
  EXPECT_EQ(got.size(), 1u);
  ASSERT_EQ(hook.posts().size(), 2u);
  EXPECT_NE(hook.posts()[1].find("C3000 |"), std::string::npos);
  EXPECT_EQ(hook.posts()[1].find("C2999 |"), std::string::npos);
  EXPECT_EQ(test::sql_text(db, "SELECT count(*) FROM sink_state WHERE key LIKE 'sent|%'"), "9000");
}

TEST(Alerts, ARefusedLoginFailsTheRunAndSendsNothing) {
  Hub hub;
  test::SmtpServer smtp(hub.dir / "smtp", "starttls", 0, "clinic", "s3cret");
  hub.env = "SENDHUB_TEST_SMTP_USER=clinic SENDHUB_TEST_SMTP_PASSWORD=wrong-password";
  const auto cfg = hub.config(alerts_sink("smtp://localhost:" + std::to_string(smtp.port()), smtp.ca(), false,
                                          R"(, "smtp_user_env": "SENDHUB_TEST_SMTP_USER", "smtp_password_env": "SENDHUB_TEST_SMTP_PASSWORD")"));
  auto r = hub.run(cfg, "2026-01-15");
  EXPECT_EQ(r.code, 3) << r.output;
  EXPECT_NE(r.output.find("refused the login"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("wrong-password"), std::string::npos);
  EXPECT_TRUE(smtp.mails().empty());
  // Without the secret in the environment, the run says which variable is missing.
  hub.env = "";
  r = hub.run(cfg, "2026-01-15");
  EXPECT_EQ(r.code, 3) << r.output;
  EXPECT_NE(r.output.find("SENDHUB_TEST_SMTP_USER"), std::string::npos) << r.output;
}

// A non-loopback address of this machine, or "" when it has none.
std::string outside_address() {
  ifaddrs* list = nullptr;
  if (::getifaddrs(&list) != 0) return "";
  std::string found;
  for (ifaddrs* i = list; i && found.empty(); i = i->ifa_next) {
    if (!i->ifa_addr || i->ifa_addr->sa_family != AF_INET) continue;
    char text[INET_ADDRSTRLEN];
    ::inet_ntop(AF_INET, &reinterpret_cast<sockaddr_in*>(i->ifa_addr)->sin_addr, text, sizeof text);
    if (std::string(text).rfind("127.", 0) != 0) found = text;
  }
  ::freeifaddrs(list);
  return found;
}

TEST(Alerts, PlainSmtpOnlyToLoopbackAndTlsIsVerified) {
  Hub hub;
  test::SmtpServer plain(hub.dir / "smtp", "plain", 0, "", "", "0.0.0.0");
  // To loopback, a relay without TLS is allowed, and the log says so.
  auto cfg = hub.config(alerts_sink("smtp://127.0.0.1:" + std::to_string(plain.port()), "", false));
  auto r = hub.run(cfg, "2026-01-15");
  ASSERT_EQ(r.code, 0) << r.output;
  EXPECT_NE(r.output.find("plain text allowed"), std::string::npos) << r.output;
  EXPECT_EQ(plain.mails().size(), 4u);

  const std::string ip = outside_address();
  if (ip.empty()) GTEST_SKIP() << "this machine has no address but loopback";
  Hub other;
  cfg = other.config(alerts_sink("smtp://" + ip + ":" + std::to_string(plain.port()), "", false));
  r = other.run(cfg, "2026-01-15");
  EXPECT_EQ(r.code, 3) << r.output;
  EXPECT_NE(r.output.find("does not offer STARTTLS"), std::string::npos) << r.output;
  EXPECT_EQ(plain.mails().size(), 4u) << "nothing went out in clear text";
}

TEST(Alerts, SmtpsIsVerifiedAgainstTheConfiguredCa) {
  Hub hub;
  test::SmtpServer smtps(hub.dir / "smtp", "smtps");
  auto r = hub.run(hub.config(alerts_sink("smtps://localhost:" + std::to_string(smtps.port()), "", false)), "2026-01-15");
  EXPECT_EQ(r.code, 3) << r.output;
  EXPECT_NE(r.output.find("not trusted"), std::string::npos) << "a self-signed server is refused: " << r.output;
  EXPECT_TRUE(smtps.mails().empty());
  Hub trusted;
  r = trusted.run(trusted.config(alerts_sink("smtps://localhost:" + std::to_string(smtps.port()), smtps.ca(), false)), "2026-01-15");
  ASSERT_EQ(r.code, 0) << r.output;
  EXPECT_EQ(smtps.mails().size(), 4u);
}

TEST(Alerts, DryRunWritesEachMessageAndSendsOrRecordsNothing) {
  Hub hub;
  test::SmtpServer smtp(hub.dir / "smtp", "starttls");
  const std::string url = "smtp://localhost:" + std::to_string(smtp.port());
  auto r = hub.run(hub.config(alerts_sink(url, smtp.ca(), true, R"(, "dry_run": true, "out": "outbox")")), "2026-01-15");
  ASSERT_EQ(r.code, 0) << r.output;
  EXPECT_TRUE(smtp.mails().empty());
  const std::string day = hub.dir / "outbox/2026-01-15";
  for (const char* f : {"a@council.example.eml", "b@council.example.eml", "duty@council.example.eml",
                        "lead@council.example.eml", "webhook.json"}) {
    struct stat st {};
    ASSERT_EQ(::stat((day + "/" + f).c_str(), &st), 0) << f;
    EXPECT_EQ(st.st_mode & 0777, 0600u) << f;
    no_personal_data(test::read_file(day + "/" + f));
  }
  EXPECT_NE(test::read_file(day + "/b@council.example.eml").find("C4 |"), std::string::npos);
  // Nothing was recorded as sent: the real run sends every digest.
  r = hub.run(hub.config(alerts_sink(url, smtp.ca(), false)), "2026-01-15");
  ASSERT_EQ(r.code, 0) << r.output;
  EXPECT_EQ(smtp.mails().size(), 4u);
}

// The lead who is also an officer in the routing file (spelt another way) gets one digest.
TEST(Alerts, AnAddressInTwoRolesGetsOneDigest) {
  Hub hub;
  const auto cfg = hub.config(alerts_sink("smtp://localhost:25", "", false, R"(, "dry_run": true, "out": "outbox")"));
  test::write_file(hub.dir / "routing.csv", "case_officer,email,team\n officer a ,lead@council.example,North\n");
  std::string text = test::read_file(cfg);
  text.replace(text.find("\"lead@council.example\""), 22, "\"Lead@Council.Example\"");
  test::write_file(cfg, text);
  auto r = hub.run(cfg, "2026-01-15");
  ASSERT_EQ(r.code, 0) << r.output;
  std::set<std::string> files;
  for (const auto& e : std::filesystem::directory_iterator(hub.dir / "outbox/2026-01-15")) files.insert(e.path().filename());
  EXPECT_EQ(files, (std::set<std::string>{"lead@council.example.eml", "duty@council.example.eml"}));
}

// The lead's digest, written a line at a time from the alerts kept out of memory: each
// section once, in the clinic's order, its cases most urgent first, each alert listed once.
TEST(Alerts, TheLeadsDigestListsSectionsInOrderMostUrgentFirst) {
  Hub hub;
  auto r = hub.run(hub.config(alerts_sink("smtp://localhost:25", "", true, R"(, "dry_run": true, "out": "outbox")")), "2026-01-15");
  ASSERT_EQ(r.code, 0) << r.output;
  const std::string mail = test::read_file(hub.dir / "outbox/2026-01-15/lead@council.example.eml");
  const std::vector<std::string> order{"Statutory step breached", "Statutory step due soon", "Advice overdue (six weeks)",
                                       "Annual review overdue"};
  std::vector<std::string> titles;
  std::map<std::string, std::vector<long>> days;   // per section, each line's days left (overdue: negative)
  std::set<std::string> lines;
  std::istringstream body(mail);
  for (std::string line; std::getline(body, line);) {
    ASSERT_TRUE(!line.empty() && line.back() == '\r') << "CRLF line ends";
    line.pop_back();
    if (std::find(order.begin(), order.end(), line) != order.end()) titles.push_back(line);
    if (line.rfind("  C", 0) != 0) continue;
    EXPECT_TRUE(lines.insert(titles.back() + line).second) << "listed twice: " << line;
    const auto at = line.find(" days ");
    ASSERT_NE(at, std::string::npos) << line;
    const auto n = std::stol(line.substr(line.rfind("| ", at) + 2));
    days[titles.back()].push_back(line.find("days over") != std::string::npos ? -n : n);
  }
  EXPECT_NE(mail.find("Subject: SEND clinic alerts as at 2026-01-15: "), std::string::npos);
  ASSERT_GE(titles.size(), 3u) << mail;
  for (std::size_t i = 1; i < titles.size(); ++i)
    EXPECT_LT(std::find(order.begin(), order.end(), titles[i - 1]), std::find(order.begin(), order.end(), titles[i])) << mail;
  for (const auto& [title, d] : days) EXPECT_TRUE(std::is_sorted(d.begin(), d.end())) << title;
  // The webhook's JSON holds the same lines (as one escaped text) and parses.
  const std::string hook = test::read_file(hub.dir / "outbox/2026-01-15/webhook.json");
  EXPECT_EQ(hook.rfind(R"({"attachments":[)", 0), 0u) << hook;
  for (const auto& l : lines) EXPECT_NE(hook.find(l.substr(l.find("  C") + 2, 20)), std::string::npos) << l;
}

// A message is written to a temporary file before it is sent; where none can be made the run
// says so, nothing is sent or recorded, and the next run sends every digest.
// No message file, whether the book is held in memory or in its file (memory_mb 0).
TEST(Alerts, NoTemporaryFileSendsNothingAndLosesNothing) {
  for (const std::string more : {R"(, "memory_mb": 0)", ""}) {
    Hub hub;
    test::SmtpServer smtp(hub.dir / "smtp", "starttls");
    const auto cfg = hub.config(alerts_sink("smtp://localhost:" + std::to_string(smtp.port()), smtp.ca(), false, more));
    hub.env = "TMPDIR=" + std::string(hub.dir / "no-such-folder");
    auto r = hub.run(cfg, "2026-01-15");
    EXPECT_NE(r.code, 0) << r.output;
    EXPECT_NE(r.output.find("temporary file (TMPDIR)"), std::string::npos) << r.output;
    EXPECT_TRUE(smtp.mails().empty());
    hub.env = "";
    r = hub.run(cfg, "2026-01-15");
    ASSERT_EQ(r.code, 0) << r.output;
    EXPECT_EQ(smtp.mails().size(), 4u);
  }
}

TEST(Alerts, CheckRefusesAWebhookInClearTextOrAnotherScheme) {
  Hub hub;
  hub.env = "SENDHUB_TEST_HOOK=http://teams.example.org/hook";
  auto cfg = hub.config(alerts_sink("", "", true));
  auto r = test::run(hub.env + " " SENDHUB_BINARY " check --config " + cfg);
  EXPECT_EQ(r.code, 2) << r.output;
  EXPECT_NE(r.output.find("must be https://"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("teams.example.org"), std::string::npos) << "the URL is a secret";
  cfg = hub.config(alerts_sink("http://mail.example.org", "", false));
  r = test::run(SENDHUB_BINARY " check --config " + cfg);
  EXPECT_EQ(r.code, 2) << r.output;
  EXPECT_NE(r.output.find("smtp_url"), std::string::npos) << r.output;
}

}  // namespace
}  // namespace sendhub
