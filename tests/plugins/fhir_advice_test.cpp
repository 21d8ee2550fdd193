// The fhir_advice connector against a real HTTP server on loopback: paging, incremental
// sync, auth, and every fault the issue lists, asserting no advice is lost or duplicated.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <thread>
#include <string>
#include <tuple>
#include <vector>

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
  EXPECT_EQ(r.output.find('\x1b'), std::string::npos);
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

// Issue 26: one run meets two copies of a Task. The current one is the later
// meta.lastUpdated, whatever the server's versionIds look like (opaque in FHIR R4: random
// UUIDs at Medplum); on a tie, the higher whole number, else the copy read later. Every
// entry is counted: read = stored + unchanged + quarantined + replaced.
struct CopyPair { std::string older, newer; };

std::vector<CopyPair> version_ids(const std::string& style) {
  if (style == "uuid")   // as strings the older is larger; as leading digits too (017615d4 > 03720a33)
    return {{"f3d82cbf-0f4e-4a52-9b4e-3c1f0e1f4a11", "1df06fff-7c53-4d33-8a41-2b6f1c0e5d22"},
            {"017615d4-1a2b-4c3d-8e9f-0a1b2c3d4e5f", "03720a33-5f6e-4d7c-9b8a-1f2e3d4c5b6a"},
            {"9e1c2b3a-aaaa-4bbb-8ccc-dddddddddddd", "0a1b2c3d-eeee-4fff-8aaa-bbbbbbbbbbbb"},
            {"c0ffee00-1111-4222-8333-444444444444", "b0ffee00-5555-4666-8777-888888888888"},
            {"7a7a7a7a-9999-4999-8999-999999999999", "6b6b6b6b-0000-4000-8000-000000000000"}};
  if (style == "numeric") return {{"9", "10"}, {"1", "2"}, {"99", "100"}, {"3", "4"}, {"41", "42"}};
  return {{"zeta", "alpha"}, {"W-b", "W-a"}, {"v-late", "v-early"}, {"x", "w"}, {"2x", "10x"}};
}

// A Bundle page as text: twenty thousand Tasks built as Poco objects took seconds.
void write_page(const std::string& file, const std::vector<test::FakeTask>& tasks, const std::string& next) {
  std::string page = R"({"resourceType":"Bundle","entry":[)";
  for (const auto& t : tasks) page += (&t == tasks.data() ? "" : ",") + std::string(R"({"resource":)") + test::FhirTestServer::task_text(t) + "}";
  page += R"(],"link":[)";
  if (!next.empty()) page += R"({"relation":"next","url":")" + next + R"("})";
  test::write_file(file, page + "]}");
}

// Each style of versionId, with the Tasks read held in memory and in a temporary file from the
// start (memory_mb 0).
class FhirTwoCopies : public ::testing::TestWithParam<std::tuple<std::string, std::string>> {
 protected:
  // Five Tasks requested, then each completed or cancelled a day later (new version ids);
  // `newest_first` puts the later copies on page 1 (a feed sorted the other way).
  void write_feed(bool newest_first) {
    std::vector<test::FakeTask> before, after;
    const auto ids = version_ids(std::get<0>(GetParam()));
    for (int i = 0; i < 5; ++i) {
      const std::string id = "t" + std::to_string(i + 1), minute = "0" + std::to_string(i);
      test::FakeTask old{id, ids[static_cast<std::size_t>(i)].older, "2025-05-01T10:" + minute + ":00Z"};
      old.status = "requested";
      test::FakeTask now{id, ids[static_cast<std::size_t>(i)].newer, "2025-05-02T10:" + minute + ":00Z"};
      now.status = i % 2 ? "cancelled" : "completed";
      before.push_back(old);
      after.push_back(now);
    }
    write_page(dir_ / "feed/Task.json", newest_first ? after : before, "Task-2.json");
    write_page(dir_ / "feed/Task-2.json", newest_first ? before : after, "");
  }
  void run_and_expect_latest(std::int64_t stored, std::int64_t replaced) {
    auto cfg = test::write_config(dir_, R"([{"name": "h", "connector": "fhir_advice", "base_url": "file://feed")" +
                                            std::get<1>(GetParam()) + "}]");
    ASSERT_EQ(run_pipeline(load_config(cfg), RunOptions{"2026-01-15"}), 0);
    auto store = open_sqlite_store(dir_ / "store/sendhub.db", SENDHUB_SOURCE_DIR "/schemas");
    auto advice = store->read(RecordKind::advice, 0);
    ASSERT_EQ(advice.size(), 5u);
    for (const auto& a : advice) {
      const int i = a.get("advice_ref").back() - '1';
      EXPECT_EQ(a.get("status"), i % 2 ? "cancelled" : "completed") << a.get("advice_ref") << " kept a stale copy";
    }
    const auto c = store->runs()[0].sources[0].counts;
    EXPECT_EQ(c.read, 10) << "every entry that arrived is counted";
    EXPECT_EQ(c.stored, stored);
    EXPECT_EQ(c.replaced, replaced);
    EXPECT_EQ(c.read, c.stored + c.unchanged + c.quarantined + c.replaced);
    EXPECT_EQ(store->state("h", "high_water"), "2025-05-02T10:04:00Z");
  }
  TempDir dir_;
};

TEST_P(FhirTwoCopies, TheLaterCopyOnALaterPageReplacesTheEarlier) {
  write_feed(false);
  run_and_expect_latest(10, 0);
}

TEST_P(FhirTwoCopies, AnOlderCopyOnALaterPageIsCountedAndNotStored) {
  write_feed(true);
  run_and_expect_latest(5, 5);
}

INSTANTIATE_TEST_SUITE_P(VersionIds, FhirTwoCopies,
                         ::testing::Combine(::testing::Values("uuid", "numeric", "opaque"),
                                            ::testing::Values("", R"(, "memory_mb": 0)")));

// A quarantined Task is kept as its page wrote it (keys in the feed's order, its spacing), not
// as a parser writes it out again (keys sorted, no spaces).
TEST(FhirAdviceFiles, AQuarantinedTaskIsKeptInItsPagesOwnText) {
  TempDir dir;
  test::FakeTask good{"t1", "1", "2025-05-01T10:00:00Z"}, bad{"t2", "1", "2025-05-01T11:00:00Z"};
  bad.nhs = "9434765918";   // fails Modulus 11
  std::string bad_text = test::FhirTestServer::task_text(bad);
  bad_text.insert(bad_text.find("\"status\""), "\n  ");
  test::write_file(dir / "feed/Task.json", R"({"resourceType": "Bundle", "entry": [{"resource": )" +
                                               test::FhirTestServer::task_text(good) + "},\n {\"resource\": " + bad_text +
                                               R"(, "search": {"mode": "match"}}]})");
  auto cfg = test::write_config(dir, R"([{"name": "h", "connector": "fhir_advice", "base_url": "file://feed"}])");
  EXPECT_EQ(run_pipeline(load_config(cfg), RunOptions{"2026-01-15"}), 1);
  EXPECT_EQ(test::sql_text(dir / "store/sendhub.db", "SELECT COUNT(*) FROM advice"), "1");
  EXPECT_EQ(test::sql_text(dir / "store/sendhub.db", "SELECT raw FROM quarantine"), bad_text);
}

// Issue 30: a file feed whose page files are as this source last read them whole is not read
// again, as the host does not read a source's unchanged files again; a setting changed, a page
// written again (or in the last two seconds), or a Task quarantined last time, and it is.
TEST(FhirAdviceFiles, AnUnchangedFileFeedIsNotReadAgain) {
  TempDir dir;
  test::FakeTask a{"a", "1", "2025-05-01T10:00:00Z"}, b{"b", "1", "2025-05-01T11:00:00Z"};
  write_page(dir / "feed/Task.json", {a}, "Task-2.json");
  write_page(dir / "feed/Task-2.json", {b}, "");
  std::this_thread::sleep_for(std::chrono::milliseconds(3100));   // older than a file system's clock tick
  auto cfg = [&](const std::string& more) {
    return test::write_config(dir, R"([{"name": "h", "connector": "fhir_advice", "base_url": "file://feed")" + more + "}]");
  };
  auto run = [&](const std::string& config) {
    auto r = test::sendhub("run --as-at 2026-01-15 --config " + config);
    EXPECT_EQ(r.code, 0) << r.output;
    auto store = open_sqlite_store(dir / "store/sendhub.db", SENDHUB_SOURCE_DIR "/schemas");
    return std::make_pair(store->runs()[0].sources[0].counts.read, r.output);
  };
  EXPECT_EQ(run(cfg("")).first, 2);
  auto [read, output] = run(cfg(""));
  EXPECT_EQ(read, 0);
  EXPECT_NE(output.find("the feed's 2 page files are as this source last read them whole"), std::string::npos) << output;
  EXPECT_GT(run(cfg(R"(, "overlap_s": 7200)")).first, 0) << "another setting: read again";
  EXPECT_EQ(run(cfg(R"(, "overlap_s": 7200)")).first, 0);
  test::FakeTask c{"c", "1", "2025-05-01T12:00:00Z"};
  write_page(dir / "feed/Task-2.json", {b, c}, "");
  EXPECT_EQ(run(cfg(R"(, "overlap_s": 7200)")).first, 3) << "a page written again: read again, the new Task with it";
  EXPECT_GT(run(cfg(R"(, "overlap_s": 7200)")).first, 0) << "a page written in the last two seconds is never trusted";
  auto store = open_sqlite_store(dir / "store/sendhub.db", SENDHUB_SOURCE_DIR "/schemas");
  EXPECT_EQ(store->read(RecordKind::advice, 0).size(), 3u);

  // A Task quarantined (dated far in the future): read again every run, so reported every run.
  test::FakeTask later{"d", "1", "2999-01-01T00:00:00Z"};
  write_page(dir / "feed/Task-2.json", {b, c, later}, "");
  std::this_thread::sleep_for(std::chrono::milliseconds(3100));
  for (int i = 0; i < 2; ++i) {
    auto r = test::sendhub("run --as-at 2026-01-15 --config " + cfg(R"(, "overlap_s": 7200)"));
    EXPECT_EQ(r.code, 1) << "a quarantined Task, every run: " << r.output;
  }
}

// A national feed's Tasks pass memory_mb part-way through (issue 30: 1.4 million of them were
// 170 MB): they move to a temporary file, that is said, and older copies read after the move
// still replace nothing.
TEST(FhirAdviceFiles, TasksPastMemoryMbMoveToAFileAndKeepTheLatestCopies) {
  TempDir dir;
  std::vector<test::FakeTask> newer, older;
  for (int i = 0; i < 20000; ++i) {
    const std::string id = "task-" + std::to_string(i), minute = std::to_string(10 + i % 50);
    test::FakeTask now{id, "2", "2025-05-02T10:" + minute + ":00Z"};
    now.status = i % 3 ? "completed" : "cancelled";
    newer.push_back(now);
    if (i % 100 == 0) older.push_back(test::FakeTask{id, "1", "2025-05-01T10:" + minute + ":00Z"});   // "completed"
  }
  write_page(dir / "feed/Task.json", newer, "Task-2.json");
  write_page(dir / "feed/Task-2.json", older, "");
  const auto config = test::write_config(dir, R"([{"name": "h", "connector": "fhir_advice", "base_url": "file://feed", "memory_mb": 1}])");
  auto r = test::sendhub("run --as-at 2026-01-15 --config " + config);
  ASSERT_EQ(r.code, 0) << r.output;
  EXPECT_NE(r.output.find("the Tasks read passed memory_mb (1): they were moved to a temporary file"), std::string::npos) << r.output;
  auto store = open_sqlite_store(dir / "store/sendhub.db", SENDHUB_SOURCE_DIR "/schemas");
  const auto c = store->runs()[0].sources[0].counts;
  EXPECT_EQ(c.stored, 20000);
  EXPECT_EQ(c.replaced, 200);
  int cancelled = 0;
  for (const auto& a : store->read(RecordKind::advice, 0)) cancelled += a.get("status") == "cancelled";
  EXPECT_EQ(cancelled, 6667) << "no older copy replaced a later one";
}

// Next links that come back to a page already read stop the source at once, naming the loop
// (rule fhir.paging), and store nothing of the run, well before max_pages would.
TEST(FhirAdviceFiles, NextLinksThatGoRoundInALoopStopTheSource) {
  TempDir dir;
  write_page(dir / "feed/Task.json", {test::FakeTask{"a", "1", "2025-05-01T10:00:00Z"}}, "Task-2.json");
  write_page(dir / "feed/Task-2.json", {test::FakeTask{"b", "1", "2025-05-01T11:00:00Z"}}, "Task.json");
  auto r = test::sendhub("run --as-at 2026-01-15 --config " +
                         test::write_config(dir, R"([{"name": "h", "connector": "fhir_advice", "base_url": "file://feed"}])"));
  EXPECT_NE(r.code, 0) << r.output;
  EXPECT_NE(r.output.find("the next links go round in a loop"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("fhir.paging"), std::string::npos) << r.output;
  auto store = open_sqlite_store(dir / "store/sendhub.db", SENDHUB_SOURCE_DIR "/schemas");
  EXPECT_EQ(store->read(RecordKind::advice, 0).size(), 0u);
}

// On the same instant, whole-number versionIds order the copies; any others, the order read.
TEST(FhirTwoCopiesTie, WholeNumbersDecideATieAndOtherwiseTheCopyReadLater) {
  for (const std::string memory : {"", R"(, "memory_mb": 0)"}) {
    TempDir dir;
    test::FakeTask n3{"n", "3", "2025-05-01T10:00:00Z"}, n2{"n", "2", "2025-05-01T10:00:00Z"};
    n2.status = "cancelled";
    test::FakeTask ob{"o", "b", "2025-05-01T10:00:00Z"}, oa{"o", "a", "2025-05-01T10:00:00Z"};
    oa.status = "cancelled";
    write_page(dir / "feed/Task.json", {n3, ob}, "Task-2.json");
    write_page(dir / "feed/Task-2.json", {n2, oa}, "");
    auto cfg = test::write_config(dir, R"([{"name": "h", "connector": "fhir_advice", "base_url": "file://feed")" + memory + "}]");
    ASSERT_EQ(run_pipeline(load_config(cfg), RunOptions{"2026-01-15"}), 0);
    auto store = open_sqlite_store(dir / "store/sendhub.db", SENDHUB_SOURCE_DIR "/schemas");
    for (const auto& a : store->read(RecordKind::advice, 0))
      EXPECT_EQ(a.get("status"), a.get("advice_ref") == "ADV-n" ? "completed" : "cancelled") << a.get("advice_ref") << memory;
    const auto c = store->runs()[0].sources[0].counts;
    EXPECT_EQ(c.read, 4) << memory;
    EXPECT_EQ(c.replaced, 1) << memory;
  }
}

// A real server changes a Task while the run pages through the results: the new copy, sorted
// by _lastUpdated, comes on a later page. The store holds it, and the mark is its instant.
TEST_F(FhirAdvice, ATaskChangedWhileTheRunPagesIsStoredAsItsLatestCopy) {
  server_.keyset = true;
  for (auto& t : server_.tasks) t.version = "1b5e" + t.id + "-uuid";
  server_.after_page = [this](int n) {
    if (n != 1) return;
    server_.tasks[0].status = "cancelled";   // t1, served on page 1
    server_.tasks[0].version = "0a" + server_.tasks[0].version;
    server_.tasks[0].last_updated = "2025-05-09T10:00:00Z";
  };
  ASSERT_EQ(run(config()), 0);
  for (const auto& a : advice())
    if (a.get("advice_ref") == "ADV-t1") {
      EXPECT_EQ(a.get("status"), "cancelled");
    }
  EXPECT_EQ(advice().size(), 7u);
  const auto c = store()->runs()[0].sources[0].counts;
  EXPECT_EQ(c.read, 8);
  EXPECT_EQ(c.read, c.stored + c.unchanged + c.quarantined + c.replaced);
  EXPECT_EQ(store()->state("health", "high_water"), "2025-05-09T10:00:00Z");
}

}  // namespace
}  // namespace sendhub
