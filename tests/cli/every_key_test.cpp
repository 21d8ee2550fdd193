// Issue 15.8: a documented key no test set (advice_types) crashed every run. This test
// sets every key of every connector, as `sendhub connectors --json` lists them, to a
// value other than its default, and runs the hub end to end; the sanitizer build runs it
// under ASan/UBSan. A new key without a value here fails the test.
#include <gtest/gtest.h>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <map>

#include "test_support.h"

namespace sendhub {
namespace {

// connector/role/key -> a non-default JSON value (paths are relative to the config).
const std::map<std::string, std::string> kValues = {
    {"sen2_xml/source/path", R"("s/sen2/sen2_2025.xml")"},
    {"sen2_blade/source/path", R"("s/blade/*.csv")"},
    {"sen2_xml/source/year", "2025"},
    {"cms_csv/source/path", R"("s/cms/people*.csv")"},
    {"cms_csv/source/profile", R"(")" SENDHUB_SOURCE_DIR R"(/config/profiles/example-people.json")"},
    {"fhir_advice/source/base_url", R"("file://s/fhir")"},
    {"fhir_advice/source/token_env", R"("SENDHUB_TEST_EVERY_KEY_TOKEN")"},
    {"fhir_advice/source/token_url", R"("https://auth.example.org/token")"},
    {"fhir_advice/source/client_id", R"("hub")"},
    {"fhir_advice/source/client_secret_env", R"("SENDHUB_TEST_EVERY_KEY_SECRET")"},
    {"fhir_advice/source/scope", R"("advice.read")"},
    {"fhir_advice/source/page_size", "50"},
    {"fhir_advice/source/overlap_s", "60"},
    {"fhir_advice/source/since", R"("2020-01-01T00:00:00Z")"},
    {"fhir_advice/source/advice_types", R"({"HLTH": "health", "EP": "educational_psychology"})"},
    {"fhir_advice/source/max_retries", "2"},
    {"fhir_advice/source/backoff_ms", "20"},
    {"fhir_advice/source/retry_after_cap_s", "5"},
    {"fhir_advice/source/connect_timeout_s", "5"},
    {"fhir_advice/source/timeout_s", "30"},
    {"fhir_advice/source/max_page_bytes", "8388608"},
    {"fhir_advice/source/max_pages", "500"},
    {"fhir_advice/source/deadline_s", "600"},
    {"fhir_advice/source/max_clock_skew_s", "120"},
    {"fhir_advice/source/memory_mb", "0"},
    {"fhir_advice/source/ca_bundle", R"("/etc/ssl/certs/ca-certificates.crt")"},
    {"fhir_advice/source/insecure_skip_tls_verify", "true"},
    {"fhir_advice/source/allow_plain_http", "true"},
    {"sen2_xml/sink/year", "2025"},
    {"sen2_xml/sink/out", R"("out/sen2-2025.xml")"},
    {"sen2_xml/sink/serial_no", R"("002")"},
    {"sen2_xml/sink/software_code", R"("every-key")"},
    {"sen2_xml/sink/release", R"("9.9")"},
    {"sen2_xml/sink/lea", R"("352")"},
    {"sen2_xml/sink/dmo", R"("N")"},
    {"sen2_xml/sink/dco", R"("Y")"},
    {"sen2_xml/sink/dsco", R"("R")"},
    {"sen2_xml/sink/force", "true"},
    {"alerts/sink/routing", "\"" SENDHUB_SOURCE_DIR "/config/alerts/routing.csv\""},
    {"alerts/sink/lead", R"("lead@council.example")"},
    {"alerts/sink/fallback", R"("duty@council.example")"},
    {"alerts/sink/thresholds_days", "[30, 10]"},
    {"alerts/sink/smtp_url", R"("smtps://mail.example.org:465")"},
    {"alerts/sink/from", R"("sendhub@council.example")"},
    {"alerts/sink/smtp_user_env", R"("SENDHUB_TEST_EVERY_KEY_TOKEN")"},
    {"alerts/sink/smtp_password_env", R"("SENDHUB_TEST_EVERY_KEY_SECRET")"},
    {"alerts/sink/webhook_url_env", R"("SENDHUB_TEST_EVERY_KEY_HOOK")"},
    {"alerts/sink/webhook_format", R"("teams")"},
    {"alerts/sink/ca_bundle", R"("/etc/ssl/certs/ca-certificates.crt")"},
    {"alerts/sink/timeout_s", "30"},
    {"alerts/sink/dry_run", "true"},
    {"alerts/sink/out", R"("out/alerts")"},
    {"alerts/sink/memory_mb", "0"},
    {"kpi_extract/sink/breakdowns", R"(["nc_year", "ward"])"},
    {"kpi_extract/sink/postcode_directory", R"("s/ons/postcodes.csv")"},
    {"kpi_extract/sink/ward_names", R"("s/ons/wards.csv")"},
    {"kpi_extract/sink/ward_local_authority", R"("E08000027")"},
    {"kpi_extract/sink/ward_population_file", R"("s/ons/ward_population.csv")"},
    {"inspection_lists/sink/out", R"("out/lists")"},
    {"inspection_lists/sink/as_at", R"("2025-03-31")"},
    {"inspection_lists/sink/force", "true"},
    {"kpi_extract/sink/out", R"("out/kpis")"},
    {"kpi_extract/sink/year", "2024"},
    {"kpi_extract/sink/from", R"("2024-04-01")"},
    {"kpi_extract/sink/to", R"("2025-03-31")"},
    {"kpi_extract/sink/as_at", R"("2025-03-31")"},
    {"kpi_extract/sink/population_file", R"("s/population.csv")"},
    {"kpi_extract/sink/council", R"("Every Key Council")"},
    {"kpi_extract/sink/targets_file", "\"" SENDHUB_SOURCE_DIR "/config/targets/example-targets.csv\""},
    {"kpi_extract/sink/benchmarks_file", "\"" SENDHUB_SOURCE_DIR "/config/benchmarks/england.csv\""},
    {"kpi_extract/sink/snapshots", R"("month_end")"},
    {"kpi_extract/sink/dfe_releases", R"("s/dfe/education-health-and-care-plans_*")"},
    {"kpi_extract/sink/neighbours_file", R"("s/dfe/statistical-neighbours.xlsx")"},
    {"pseudonymised_extract/sink/out", R"("out/pool")"},
};

Poco::JSON::Array::Ptr connectors() {
  auto r = test::sendhub("connectors --json --plugins-dir " SENDHUB_TEST_PLUGIN_DIR " 2>/dev/null");
  return Poco::JSON::Parser().parse(r.output).extract<Poco::JSON::Array::Ptr>();
}

TEST(EveryKey, EveryDocumentedKeyOfEveryConnectorSetToANonDefaultValueRuns) {
  test::TempDir dir;
  test::generate_sample(dir / "s", 30);
  ::setenv("SENDHUB_TEST_EVERY_KEY_TOKEN", "not-a-real-token", 1);
  ::setenv("SENDHUB_TEST_EVERY_KEY_SECRET", "not-a-real-secret", 1);
  ::setenv("SENDHUB_TEST_EVERY_KEY_HOOK", "https://hooks.example.org/not-a-real-hook", 1);
  const auto list = connectors();
  std::map<std::string, std::string> objects;  // connector/role -> its JSON keys
  for (std::size_t i = 0; i < list->size(); ++i) {
    auto c = list->getObject(static_cast<unsigned>(i));
    const std::string id = c->getValue<std::string>("name") + "/" + c->getValue<std::string>("kind");
    auto keys = c->getArray("keys");
    for (std::size_t k = 0; k < keys->size(); ++k) {
      auto key = keys->getObject(static_cast<unsigned>(k));
      const std::string name = key->getValue<std::string>("name");
      auto value = kValues.find(id + "/" + name);
      ASSERT_NE(value, kValues.end()) << "no test value for " << id << " key " << name;
      EXPECT_NE(value->second, "\"" + key->getValue<std::string>("default") + "\"") << id << " " << name;
      EXPECT_NE(value->second, key->getValue<std::string>("default")) << id << " " << name;
      objects[id] += ", \"" + name + "\": " + value->second;
    }
  }
  std::string sources, sinks;
  for (const auto& [id, keys] : objects) {
    const std::string connector = id.substr(0, id.find('/'));
    std::string& list_of = id.ends_with("/source") ? sources : sinks;
    list_of += std::string(list_of.empty() ? "" : ", ") + R"({"name": ")" + connector + "-" + id.substr(id.find('/') + 1) +
               R"(", "connector": ")" +
               connector + "\"" + keys + "}";
  }
  auto cfg = test::write_config(dir, "[" + sources + "]", "[" + sinks + "]");
  auto r = test::sendhub("run --as-at 2025-03-31 --config " + cfg);
  EXPECT_LE(r.code, 1) << r.output;  // data problems in the sample are fine; a crash is not
  EXPECT_NE(r.output.find("TLS certificate verification is OFF"), std::string::npos) << "warned, never silent";
  EXPECT_TRUE(std::filesystem::exists(dir / "out/sen2-2025.xml")) << r.output;
  EXPECT_TRUE(std::filesystem::exists(dir / "out/kpis/kpis.csv")) << r.output;
  EXPECT_TRUE(std::filesystem::exists(dir / "out/alerts/2025-03-31/webhook.json")) << r.output;
}

}  // namespace
}  // namespace sendhub
