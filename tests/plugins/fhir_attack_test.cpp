// Issue 15 against the fhir_advice connector: a misbehaving health server and a careless
// configuration. Each test failed (crashed, hung or stored wrong data) before its fix.
#include <gtest/gtest.h>

#include <chrono>

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

class FhirAttack : public ::testing::Test {
 protected:
  void SetUp() override {
    for (int i = 1; i <= 4; ++i) server_.tasks.push_back({"t" + std::to_string(i), "1", "2025-05-0" + std::to_string(i) + "T10:00:00Z"});
  }
  std::string config(const std::string& extra = "") {
    return test::write_config(dir_, R"([{"name": "health", "connector": "fhir_advice", "base_url": ")" + server_.base() +
                                        R"(", "page_size": 3, "backoff_ms": 10, "retry_after_cap_s": 1, "timeout_s": 5,
                                        "max_retries": 1)" + extra + "}]");
  }
  test::Result run(const std::string& cfg) { return test::sendhub("run --config " + cfg); }
  std::unique_ptr<Store> store() { return open_sqlite_store(dir_ / "store/sendhub.db", SENDHUB_SOURCE_DIR "/schemas"); }
  std::map<std::string, std::string> status_by_ref() {
    std::map<std::string, std::string> out;
    for (const auto& a : store()->read(RecordKind::advice, 0)) out[a.get("advice_ref")] = a.get("status");
    return out;
  }

  test::FhirTestServer server_;
  TempDir dir_;
};

// 15.8: iterating an Object owned by a temporary Var died with SIGSEGV on every run.
TEST_F(FhirAttack, ConfiguredAdviceTypesMapTheTaskCodes) {
  server_.tasks[0].code = "HLTH";
  server_.tasks[1].code = "EP";
  auto r = run(config(R"(, "advice_types": {"HLTH": "health", "EP": "educational_psychology"})"));
  EXPECT_EQ(r.code, 0) << r.output;
  std::map<std::string, std::string> types;
  for (const auto& a : store()->read(RecordKind::advice, 0)) types[a.get("advice_ref")] = a.get("advice_type");
  EXPECT_EQ(types["ADV-t1"], "health");
  EXPECT_EQ(types["ADV-t2"], "educational_psychology");
  auto bad = run(config(R"(, "advice_types": {"HLTH": "dentistry"})"));
  EXPECT_EQ(bad.code, 2) << bad.output;
  EXPECT_NE(bad.output.find("advice_types.HLTH"), std::string::npos) << bad.output;
}

// 15.3: a quarantined Task dated 2999 moved the mark to 2999, so a later cancellation was
// never fetched and stayed "completed".
TEST_F(FhirAttack, AFutureTaskIsQuarantinedAndTheMarkMovesOnlyOverStoredTasks) {
  server_.tasks.push_back({"t9", "1", "2999-01-01T00:00:00Z"});
  auto r = run(config());
  EXPECT_EQ(r.code, 1) << r.output;
  EXPECT_NE(r.output.find("fhir.future"), std::string::npos) << r.output;
  EXPECT_EQ(store()->state("health", "high_water"), "2025-05-04T10:00:00Z");
  server_.tasks[1].status = "cancelled";  // a change after the first run
  server_.tasks[1].version = "2";
  server_.tasks[1].last_updated = "2025-06-01T10:00:00Z";
  server_.tasks.pop_back();
  r = run(config());
  EXPECT_EQ(r.code, 0) << r.output;
  EXPECT_EQ(status_by_ref()["ADV-t2"], "cancelled");
  EXPECT_EQ(status_by_ref().count("ADV-t9"), 0u);
}

// 15.11: an endless body, a gzip bomb (bad_alloc at 1 GiB) and next links that never
// repeat (9,748 pages) each stop at a cap, with a clear reason and nothing stored.
TEST_F(FhirAttack, AnEndlessBodyStopsAtMaxPageBytes) {
  server_.faults = {Fault{"Task?", 1, 0, "", "", 0, false, true}};
  const auto started = std::chrono::steady_clock::now();
  auto r = run(config(R"(, "max_page_bytes": 1048576)"));
  EXPECT_EQ(r.code, 3) << r.output;
  EXPECT_NE(r.output.find("larger than max_page_bytes (1048576)"), std::string::npos) << r.output;
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(20));
  EXPECT_TRUE(store()->read(RecordKind::advice, 0).empty());
}

TEST_F(FhirAttack, AGzipBombStopsAtMaxPageBytesAfterDecompression) {
  server_.faults = {Fault{"Task?", 1, 0, "", "", 0, false, false, true}};
  auto r = run(config(R"(, "max_page_bytes": 4194304)"));
  EXPECT_EQ(r.code, 3) << r.output;
  EXPECT_NE(r.output.find("larger than max_page_bytes"), std::string::npos) << r.output;
}

TEST_F(FhirAttack, NextLinksThatNeverEndStopAtMaxPages) {
  server_.endless_next = true;
  auto r = run(config(R"(, "max_pages": 25)"));
  EXPECT_EQ(r.code, 3) << r.output;
  EXPECT_NE(r.output.find("past max_pages (25)"), std::string::npos) << r.output;
  EXPECT_LE(server_.requests.size(), 26u);
  EXPECT_TRUE(store()->read(RecordKind::advice, 0).empty()) << "the source's transaction rolled back";
}

TEST_F(FhirAttack, TheSourceDeadlineStopsASlowFeedRetriesIncluded) {
  server_.faults = {Fault{"Task?", 100, 503, "", "", 600}};
  const auto started = std::chrono::steady_clock::now();
  auto r = run(config(R"(, "deadline_s": 1, "max_retries": 20, "backoff_ms": 400)"));
  EXPECT_EQ(r.code, 3) << r.output;
  EXPECT_NE(r.output.find("fhir.deadline"), std::string::npos) << r.output;
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(8));
}

// 15.12: the client secret was POSTed in clear to a remote token endpoint.
TEST_F(FhirAttack, ATokenUrlOverPlainHttpToARemoteHostIsRefused) {
  ::setenv("SENDHUB_TEST_FHIR_SECRET", "s3cret", 1);
  auto r = run(config(R"(, "token_url": "http://auth.example.org/token", "client_id": "hub",
                          "client_secret_env": "SENDHUB_TEST_FHIR_SECRET")"));
  EXPECT_EQ(r.code, 2) << r.output;
  EXPECT_NE(r.output.find("token_url"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("the client secret unencrypted"), std::string::npos) << r.output;
  EXPECT_TRUE(server_.requests.empty());
}

// 15.15: timeout_s 0 meant no timeout; a negative backoff_ms waited -2.5e18 ms.
TEST_F(FhirAttack, IntegersOutsideTheirRangeAreConfigurationErrors) {
  for (const char* extra : {R"(, "timeout_s": 0)", R"(, "backoff_ms": -1)", R"(, "page_size": 0)", R"(, "max_pages": 0)"}) {
    auto r = run(config(extra));
    EXPECT_EQ(r.code, 2) << extra << "\n" << r.output;
    EXPECT_NE(r.output.find("must be from"), std::string::npos) << r.output;
  }
  EXPECT_TRUE(server_.requests.empty());
}

}  // namespace
}  // namespace sendhub
