#include <gtest/gtest.h>

#include <cstdlib>

#include "config/connector_settings.h"
#include "config/hub_config.h"
#include "test_support.h"

namespace sendhub {
namespace {

using test::TempDir;

std::string config_with(const TempDir& dir, const std::string& body) {
  std::string path = dir / "hub.json";
  test::write_file(path, body);
  return path;
}

// Expects a ConfigError whose field names `key`.
void expect_config_error(const std::string& path, const std::string& key) {
  try {
    load_config(path);
    FAIL() << "expected a ConfigError for " << key;
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.field(), key) << e.describe();
  }
}

TEST(HubConfig, ReadsStoreLaAndConnectorsResolvingPathsAgainstTheFile) {
  TempDir dir;
  auto cfg = load_config(config_with(dir, R"({"store": {"kind": "sqlite", "path": "var/x.db"},
      "la": {"code": "351", "name": "Example"},
      "sources": [{"name": "a", "connector": "sen2_xml", "path": "in/*.xml"}],
      "sinks": [{"name": "b", "connector": "sen2_xml", "year": 2026, "out": "o.xml"}]})"));
  EXPECT_EQ(cfg.store_path, dir / "var/x.db");
  EXPECT_EQ(cfg.la_code, "351");
  ASSERT_EQ(cfg.sources.size(), 1u);
  EXPECT_EQ(cfg.sources[0].connector, "sen2_xml");
  EXPECT_EQ(cfg.archive_dir, dir / "var/archive");
  EXPECT_EQ(cfg.retention_days, 90);
}

TEST(HubConfig, UnknownAndBadKeysAreErrorsNamingTheKey) {
  TempDir dir;
  expect_config_error(config_with(dir, R"({"store": {"path": "x.db"}, "sorces": []})"), "sorces");
  expect_config_error(config_with(dir, R"({"store": {"path": "x.db", "mode": 1}})"), "store.mode");
  expect_config_error(config_with(dir, R"({"store": {"kind": "oracle", "path": "x"}})"), "store.kind");
  expect_config_error(config_with(dir, R"({"store": {"path": "x.db"}, "la": {"code": "35"}})"), "la.code");
  expect_config_error(config_with(dir, R"({"la": {"code": "351"}})"), "store");
  expect_config_error(config_with(dir, R"({"store": {"path": "x.db"}, "sources": [{"name": "a"}]})"),
                      "sources[0].connector");
  expect_config_error(config_with(dir, R"({"store": {"path": "x.db"}, "sources": [
      {"name": "a", "connector": "c"}, {"name": "a", "connector": "c"}]})"), "sources[1].name");
  expect_config_error(config_with(dir, R"({"store": {"path": "x.db"}, "archive": {"retention_days": 0}})"),
                      "archive.retention_days");
}

TEST(HubConfig, MalformedJsonIsAConfigError) {
  TempDir dir;
  EXPECT_THROW(load_config(config_with(dir, "{\"store\": ")), ConfigError);
  EXPECT_THROW(load_config(config_with(dir, "[1, 2]")), ConfigError);
  EXPECT_THROW(load_config(dir / "missing.json"), ConfigError);
}

class ConnectorSettings : public ::testing::Test {
 protected:
  std::unique_ptr<Settings> settings(const std::string& connector_json) {
    cfg_ = load_config(config_with(dir_, R"({"store": {"path": "x.db"}, "sources": [)" + connector_json + "]}"));
    return make_settings(cfg_, cfg_.sources[0], keys_);
  }
  TempDir dir_;
  HubConfig cfg_;
  std::vector<ConfigKey> keys_ = {
      {"path", "glob", true, "", false, ""},
      {"page_size", "integer", false, "100", false, ""},
      {"token_env", "string", false, "", true, ""},
  };
};

TEST_F(ConnectorSettings, AppliesDefaultsAndResolvesGlobs) {
  test::write_file(dir_ / "in/b.xml", "");
  test::write_file(dir_ / "in/a.xml", "");
  auto s = settings(R"({"name": "s", "connector": "c", "path": "in/*.xml"})");
  EXPECT_EQ(s->integer("page_size"), 100);
  EXPECT_EQ(s->glob("path"), (std::vector<std::string>{dir_ / "in/a.xml", dir_ / "in/b.xml"}));
}

TEST_F(ConnectorSettings, UnknownMissingAndMistypedKeysAreConfigErrors) {
  EXPECT_THROW(settings(R"({"name": "s", "connector": "c", "path": "x", "pth": "y"})"), ConfigError);
  EXPECT_THROW(settings(R"({"name": "s", "connector": "c"})"), ConfigError);
  EXPECT_THROW(settings(R"({"name": "s", "connector": "c", "path": "x", "page_size": "ten"})"), ConfigError);
}

TEST_F(ConnectorSettings, SecretsComeFromTheEnvironmentOnly) {
  auto s = settings(R"({"name": "s", "connector": "c", "path": "x", "token_env": "SENDHUB_TEST_TOKEN"})");
  ::unsetenv("SENDHUB_TEST_TOKEN");
  EXPECT_THROW(s->secret("token_env"), ConfigError);
  ::setenv("SENDHUB_TEST_TOKEN", "s3cret", 1);
  EXPECT_EQ(s->secret("token_env"), "s3cret");
  ::unsetenv("SENDHUB_TEST_TOKEN");
}

}  // namespace
}  // namespace sendhub
