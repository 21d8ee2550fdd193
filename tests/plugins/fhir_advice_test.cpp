// The fhir_advice connector against a real HTTP server on loopback: paging, incremental
// sync, auth, and every fault the issue lists, asserting no advice is lost or duplicated.
#include <gtest/gtest.h>

#include <cstdlib>

#include "config/hub_config.h"
#include "pipeline/run.h"
#include "plugins/fhir_test_server.h"
#include "store/store.h"
#include "test_support.h"

namespace sendhub {
namespace {

using test::FakeTask;
using test::Fault;
using test::TempDir;

std::vector<FakeTask> seven_tasks() {
  std::vector<FakeTask> out;
  for (int i = 1; i <= 7; ++i)
    out.push_back({"t" + std::to_string(i), "1", "2025-05-0" + std::to_string(i) + "T10:00:00Z"});
  return out;
}

class FhirAdvice : public ::testing::Test {
 protected:
  void SetUp() override { server_.tasks = seven_tasks(); }

  std::string config(const std::string& extra = "") {
    return test::write_config(dir_, R"([{"name": "health", "connector": "fhir_advice", "base_url": ")" + server_.base() +
                                        R"(", "page_size": 3, "backoff_ms": 10, "retry_after_cap_s": 1, "timeout_s": 2,
                                        "max_retries": 3)" + extra + "}]");
  }
  int run(const std::string& cfg) { return run_pipeline(load_config(cfg), RunOptions{"2026-01-15"}); }
  std::unique_ptr<Store> store() { return open_sqlite_store(dir_ / "store/sendhub.db", SENDHUB_SOURCE_DIR "/schemas"); }
  std::vector<Record> advice() { return store()->read(RecordKind::advice, 0); }
  std::set<std::string> refs() {
    std::set<std::string> out;
    for (const auto& a : advice()) out.insert(a.get("advice_ref"));
    return out;
  }

  test::FhirTestServer server_;
  TempDir dir_;
};

TEST_F(FhirAdvice, FollowsEveryPageAndMapsTasks) {
  ASSERT_EQ(run(config()), 0);
  auto all = advice();
  ASSERT_EQ(all.size(), 7u);
  const auto& a = all.front();
  EXPECT_EQ(a.get("request_ref"), "INV1");
  EXPECT_EQ(a.get("nhs_number"), "9434765919");
  EXPECT_EQ(a.get("advice_type"), "health");
  EXPECT_EQ(a.get("requested_date"), "2025-03-12");
  EXPECT_EQ(a.get("due_date"), "2025-04-23");
  EXPECT_EQ(a.get("provided_date"), "2025-04-20");
  EXPECT_EQ(a.get("status"), "completed");
  EXPECT_EQ(server_.requests.size(), 3u) << "three pages of three";
  EXPECT_NE(server_.requests[0].find("_count=3&_sort=_lastUpdated"), std::string::npos);
  EXPECT_EQ(store()->state("health", "high_water"), "2025-05-07T10:00:00Z");
}

TEST_F(FhirAdvice, IncrementalRunsAskFromTheMarkMinusTheOverlapAndReplaceNewerVersions) {
  ASSERT_EQ(run(config()), 0);
  server_.requests.clear();
  server_.tasks[1].version = "2";
  server_.tasks[1].status = "cancelled";
  server_.tasks[1].last_updated = "2025-05-09T10:00:00Z";
  server_.tasks.push_back({"t8", "1", "2025-05-08T10:00:00Z"});
  ASSERT_EQ(run(config()), 0);
  EXPECT_NE(server_.requests[0].find("_lastUpdated=ge2025-05-07T09%3A55%3A00Z"), std::string::npos) << server_.requests[0];
  auto runs = store()->runs();
  EXPECT_EQ(runs[0].sources[0].counts.read, 3);       // t7 again (overlap), t8, t2 v2
  EXPECT_EQ(runs[0].sources[0].counts.stored, 2);
  EXPECT_EQ(runs[0].sources[0].counts.unchanged, 1);
  EXPECT_EQ(advice().size(), 8u);
  for (const auto& a : advice()) {
    if (a.get("advice_ref") == "ADV-t2") {
      EXPECT_EQ(a.get("status"), "cancelled");
    }
  }
  EXPECT_EQ(store()->state("health", "high_water"), "2025-05-09T10:00:00Z");
}

TEST_F(FhirAdvice, TransientFaultsAreRetriedAndNothingIsLostOrDuplicated) {
  server_.faults = {
      {"Task?", 1, 503, "1"},                            // Retry-After honoured
      {"page=2", 1, 500},                                // plain 5xx: back-off
      {"page=2", 1, 429, "0"},
      {"page=3", 1, 0, "", "", 0, true},                 // truncated body
      {"page=3", 1, 0, "", "{\"resourceType\": \"Bun"},  // malformed JSON
      {"page=3", 1, 0, "", "", 3000},                    // slower than timeout_s
  };
  ASSERT_EQ(run(config()), 0);
  EXPECT_EQ(refs().size(), 7u);
  EXPECT_EQ(advice().size(), 7u);
  EXPECT_EQ(server_.requests.size(), 9u);
}

TEST_F(FhirAdvice, AFeedThatKeepsFailingStoresNothingAndTheNextRunRepeatsIt) {
  server_.faults = {{"page=2", 100, 502}};
  auto r = test::sendhub("run --config " + config());
  EXPECT_EQ(r.code, 3) << r.output;
  EXPECT_NE(r.output.find("/R4/Task: HTTP 502 after 4 attempt(s)"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("_count"), std::string::npos) << "no query string in messages";
  EXPECT_TRUE(advice().empty()) << "page 1 was not kept";
  EXPECT_EQ(store()->state("health", "high_water"), "");
  server_.faults.clear();
  ASSERT_EQ(run(config()), 0);
  EXPECT_EQ(advice().size(), 7u);
}

TEST_F(FhirAdvice, ANextLinkToAnotherHostIsRefused) {
  server_.foreign_next = "https://evil.example.org/R4/Task?page=2";
  auto r = test::sendhub("run --config " + config());
  EXPECT_EQ(r.code, 3);
  EXPECT_NE(r.output.find("next link leads to another scheme, host or port"), std::string::npos) << r.output;
  EXPECT_TRUE(advice().empty());
}

// 15.13: the diagnostics text is the server's, and may hold a patient's name and NHS
// number, or newlines and escapes that forge log lines: it is never echoed or stored.
TEST_F(FhirAdvice, ClientErrorsReportStatusAndIssueCodeButNeverTheServersText) {
  server_.faults = {{"Task?", 1, 403, "", R"({"resourceType":"OperationOutcome","issue":[{"severity":"error",)"
                                          R"("code":"forbidden","diagnostics":"Jane Doe 9434765919\nsendhub: ok\u001b[2K"}]})"}};
  auto r = test::sendhub("run --config " + config());
  EXPECT_EQ(r.code, 3);
  EXPECT_NE(r.output.find("HTTP 403, OperationOutcome issue code forbidden"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("Jane"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("9434765919"), std::string::npos);
  EXPECT_EQ(r.output.find("\x1b"), std::string::npos);
  auto store = open_sqlite_store(dir_ / "store/sendhub.db", SENDHUB_SOURCE_DIR "/schemas");
  const std::string stored = store->runs()[0].sources[0].error;
  EXPECT_NE(stored.find("HTTP 403"), std::string::npos) << stored;
  EXPECT_EQ(stored.find("Jane"), std::string::npos) << stored;
}

TEST_F(FhirAdvice, OAuthTokenIsFetchedCachedAndRefreshedOnceWhenItExpiresMidFeed) {
  server_.oauth = true;
  ::setenv("SENDHUB_TEST_FHIR_SECRET", "s3cret", 1);
  auto cfg = config(R"(, "token_url": ")" + server_.token_url() +
                    R"(", "client_id": "hub", "client_secret_env": "SENDHUB_TEST_FHIR_SECRET")");
  auto r = test::sendhub("run --config " + cfg);
  EXPECT_EQ(r.code, 0) << r.output;
  EXPECT_EQ(server_.tokens_issued, 2);
  EXPECT_EQ(advice().size(), 7u);
  EXPECT_EQ(r.output.find("s3cret"), std::string::npos);
  EXPECT_EQ(r.output.find("tok1"), std::string::npos);
  EXPECT_EQ(server_.authorizations.back(), "Bearer tok2");
  ::setenv("SENDHUB_TEST_FHIR_SECRET", "wrong", 1);
  r = test::sendhub("check --config " + cfg);
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.output.find("token request refused (HTTP 401): error invalid_client"), std::string::npos) << r.output;
  ::setenv("SENDHUB_TEST_FHIR_SECRET", "s3cret", 1);
  r = test::sendhub("check --config " + cfg);
  EXPECT_EQ(r.code, 0) << r.output;
  ::unsetenv("SENDHUB_TEST_FHIR_SECRET");
}

TEST_F(FhirAdvice, AStaticBearerTokenComesFromTheEnvironment) {
  ::setenv("SENDHUB_TEST_FHIR_TOKEN", "static-abc", 1);
  ASSERT_EQ(run(config(R"(, "token_env": "SENDHUB_TEST_FHIR_TOKEN")")), 0);
  EXPECT_EQ(server_.authorizations.front(), "Bearer static-abc");
  ::unsetenv("SENDHUB_TEST_FHIR_TOKEN");
  auto r = test::sendhub("run --config " + config(R"(, "token_env": "SENDHUB_TEST_FHIR_TOKEN")"));
  EXPECT_EQ(r.code, 2) << r.output;
  EXPECT_NE(r.output.find("environment variable SENDHUB_TEST_FHIR_TOKEN is not set"), std::string::npos) << r.output;
}

TEST_F(FhirAdvice, BadTasksAreQuarantinedAndTheRestLoad) {
  server_.tasks[0].nhs = "9434765918";        // fails Modulus 11
  server_.tasks[1].code = "dentistry";        // not in advice_types
  server_.tasks[2].authored = "yesterday";    // not a date
  server_.tasks[3].status = "asleep";
  auto r = test::sendhub("run --config " + config());
  EXPECT_EQ(r.code, 1) << r.output;
  EXPECT_NE(r.output.find("Task.for.identifier: NHS number check digit is wrong [fhir.nhs_number]"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("9434765918"), std::string::npos) << "no NHS number in messages";
  EXPECT_EQ(advice().size(), 3u);
  auto c = store()->runs()[0].sources[0].counts;
  EXPECT_EQ(c.quarantined, 4);
  EXPECT_EQ(c.read, c.stored + c.unchanged + c.quarantined);
}

TEST_F(FhirAdvice, ConfigurationIsCheckedBeforeAnything) {
  auto r = test::sendhub("run --config " + test::write_config(dir_, R"([{"name": "h", "connector": "fhir_advice", "base_url": "http://fhir.example.org/R4"}])"));
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.output.find("plain http"), std::string::npos) << r.output;
  r = test::sendhub("run --config " + test::write_config(dir_, R"([{"name": "h", "connector": "fhir_advice", "base_url": "ftp://x/R4"}])"));
  EXPECT_EQ(r.code, 2);
  r = test::sendhub("run --config " + config(R"(, "insecure_skip_tls_verify": true)"));
  EXPECT_EQ(r.code, 0);
  EXPECT_NE(r.output.find("TLS certificate verification is OFF"), std::string::npos) << r.output;
}

TEST(FhirAdviceFiles, AFileBaseUrlReadsBundlesFromDisk) {
  TempDir dir;
  test::generate_sample(dir / "sample", 60);
  auto cfg = test::write_config(dir, R"([{"name": "h", "connector": "fhir_advice", "base_url": "file://sample/fhir"}])");
  ASSERT_EQ(run_pipeline(load_config(cfg), RunOptions{"2026-01-15"}), 0);
  auto store = open_sqlite_store(dir / "store/sendhub.db", SENDHUB_SOURCE_DIR "/schemas");
  auto advice = store->read(RecordKind::advice, 0);
  EXPECT_GT(advice.size(), 20u);
  ASSERT_EQ(run_pipeline(load_config(cfg), RunOptions{"2026-01-15"}), 0);
  EXPECT_EQ(store->read(RecordKind::advice, 0).size(), advice.size());
  EXPECT_EQ(store->runs()[0].sources[0].counts.stored, 0);
}

}  // namespace
}  // namespace sendhub
