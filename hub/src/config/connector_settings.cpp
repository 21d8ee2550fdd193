#include "config/connector_settings.h"

#include <Poco/Glob.h>
#include <Poco/JSON/Stringifier.h>

#include <algorithm>
#include <cstdlib>
#include <set>
#include <sstream>

namespace sendhub {
namespace {

const ConfigKey* find_key(const std::vector<ConfigKey>& keys, std::string_view name) {
  for (const auto& k : keys)
    if (k.name == name) return &k;
  return nullptr;
}

bool type_fits(const ConfigKey& key, const Poco::Dynamic::Var& v) {
  if (key.type == "integer") return v.isInteger();
  if (key.type == "boolean") return v.isBoolean();
  if (key.type == "object") return v.type() == typeid(Poco::JSON::Object::Ptr) ||
                                   v.type() == typeid(Poco::JSON::Array::Ptr);
  return v.isString();  // string, path, glob
}

class JsonSettings final : public Settings {
 public:
  JsonSettings(const HubConfig& hub, const ConnectorConfig& config, std::vector<ConfigKey> keys)
      : dir_(hub.dir), where_(config.where), file_(hub.file), obj_(config.object), keys_(std::move(keys)) {}

  bool has(std::string_view key) const override {
    return obj_->has(std::string(key)) || !defaulted(key).empty();
  }
  std::string text(std::string_view key) const override {
    std::string k(key);
    if (!obj_->has(k)) return defaulted(key);
    auto v = obj_->get(k);
    return v.isString() ? v.extract<std::string>() : v.convert<std::string>();
  }
  std::int64_t integer(std::string_view key) const override {
    std::string t = text(key);
    return t.empty() ? 0 : std::stoll(t);
  }
  bool boolean(std::string_view key) const override { return text(key) == "true"; }
  std::string path(std::string_view key) const override { return resolve_path(dir_, text(key)); }
  std::string resolve(std::string_view relative) const override { return resolve_path(dir_, std::string(relative)); }
  std::vector<std::string> glob(std::string_view key) const override {
    std::set<std::string> found;
    std::string pattern = path(key);
    if (!pattern.empty()) Poco::Glob::glob(pattern, found, Poco::Glob::GLOB_DOT_SPECIAL);
    return {found.begin(), found.end()};  // std::set keeps them sorted by name
  }
  std::string json(std::string_view key) const override {
    std::string k(key);
    if (!obj_->has(k)) return defaulted(key);
    std::ostringstream out;
    Poco::JSON::Stringifier::stringify(obj_->get(k), out);
    return out.str();
  }
  std::string secret(std::string_view key) const override {
    std::string var = text(key);
    const char* value = var.empty() ? nullptr : std::getenv(var.c_str());
    if (!value || !*value)
      throw ConfigError(Where{file_, 0, ""}, where_ + "." + std::string(key), "config.secret",
                        "environment variable " + var + " is not set");
    return value;
  }

 private:
  std::string defaulted(std::string_view key) const {
    const ConfigKey* k = find_key(keys_, key);
    return k ? k->default_value : "";
  }
  std::string dir_, where_, file_;
  Poco::JSON::Object::Ptr obj_;
  std::vector<ConfigKey> keys_;
};

}  // namespace

std::vector<ConfigError> settings_problems(const HubConfig& hub, const ConnectorConfig& config,
                                          const std::vector<ConfigKey>& keys) {
  std::vector<ConfigError> out;
  auto bad = [&](const std::string& key, const std::string& msg) {
    out.emplace_back(Where{hub.file, 0, ""}, config.where + "." + key, "config", msg);
  };
  for (const auto& [name, value] : *config.object) {
    if (name == "name" || name == "connector") continue;
    const ConfigKey* key = find_key(keys, name);
    if (!key) {
      bad(name, "unknown key for connector " + config.connector);
    } else if (!type_fits(*key, value)) {
      bad(name, "must be of type " + key->type);
    } else if (key->type == "integer") {
      const auto n = value.convert<std::int64_t>();
      if (n < key->min || n > key->max)
        bad(name, "must be from " + std::to_string(key->min) + " to " + std::to_string(key->max));
    }
  }
  for (const auto& key : keys)
    if (key.required && !config.object->has(key.name)) bad(key.name, "required key is missing");
  return out;
}

std::unique_ptr<Settings> make_settings(const HubConfig& hub, const ConnectorConfig& config,
                                        const std::vector<ConfigKey>& keys) {
  auto problems = settings_problems(hub, config, keys);
  if (!problems.empty()) throw problems.front();
  return std::make_unique<JsonSettings>(hub, config, keys);
}

}  // namespace sendhub
