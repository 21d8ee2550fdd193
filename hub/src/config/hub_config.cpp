#include "config/hub_config.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#ifndef SENDHUB_DEFAULT_PLUGIN_DIR
#define SENDHUB_DEFAULT_PLUGIN_DIR "plugins"
#endif
#ifndef SENDHUB_DEFAULT_SCHEMAS_DIR
#define SENDHUB_DEFAULT_SCHEMAS_DIR "schemas"
#endif

namespace sendhub {
namespace fs = std::filesystem;
using Poco::JSON::Object;

namespace {

[[noreturn]] void bad(const std::string& file, const std::string& key, const std::string& msg) {
  throw ConfigError(Where{file, 0, ""}, key, "config", msg);
}

void only_keys(const std::string& file, const std::string& prefix, const Object& obj,
               const std::set<std::string>& allowed) {
  for (const auto& [key, value] : obj)
    if (!allowed.count(key)) bad(file, prefix + key, "unknown key");
}

std::string str(const std::string& file, const std::string& key, const Object& obj,
                const std::string& name, bool required) {
  if (!obj.has(name)) {
    if (required) bad(file, key, "required key is missing");
    return "";
  }
  auto v = obj.get(name);
  if (!v.isString()) bad(file, key, "must be a string");
  auto s = v.extract<std::string>();
  if (required && s.empty()) bad(file, key, "must not be empty");
  return s;
}

Object::Ptr child(const std::string& file, const Object& obj, const std::string& name) {
  if (!obj.has(name)) return nullptr;
  auto o = obj.getObject(name);
  if (!o) bad(file, name, "must be an object");
  return o;
}

std::vector<ConnectorConfig> connectors(const std::string& file, const Object& root,
                                        const std::string& list, std::set<std::string>& names) {
  std::vector<ConnectorConfig> out;
  if (!root.has(list)) return out;
  auto arr = root.getArray(list);
  if (!arr) bad(file, list, "must be an array");
  for (std::size_t i = 0; i < arr->size(); ++i) {
    std::string where = list + "[" + std::to_string(i) + "]";
    auto obj = arr->getObject(static_cast<unsigned>(i));
    if (!obj) bad(file, where, "must be an object");
    ConnectorConfig c{str(file, where + ".name", *obj, "name", true),
                      str(file, where + ".connector", *obj, "connector", true), where, obj};
    if (!names.insert(c.name).second) bad(file, where + ".name", "name is used twice");
    out.push_back(std::move(c));
  }
  return out;
}

std::string read_text(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw ConfigError(Where{file, 0, ""}, "", "config", "cannot read the configuration file");
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void read_link(const std::string& file, const Object& link, HubConfig& cfg) {
  auto res = [&](const std::string& p) { return resolve_path(cfg.dir, p); };
  only_keys(file, "link.", link, {"salt_env", "rules", "conflicts", "person_sources", "request_sources", "precedence"});
  if (link.has("salt_env")) cfg.link.salt_env = str(file, "link.salt_env", link, "salt_env", true);
  if (link.has("rules")) cfg.link.rules = res(str(file, "link.rules", link, "rules", true));
  if (link.has("conflicts")) cfg.link.conflicts = res(str(file, "link.conflicts", link, "conflicts", true));
  for (const char* key : {"person_sources", "request_sources"})
    if (auto map = child(file, link, key))
      for (const auto& [source, target] : *map) {
        if (!target.isString()) bad(file, "link." + std::string(key) + "." + source, "must be a source name");
        (std::string(key) == "person_sources" ? cfg.link.person_sources : cfg.link.request_sources)[source] =
            target.extract<std::string>();
      }
  if (auto pr = child(file, link, "precedence"))
    for (const auto& [field, list] : *pr) {
      if (list.type() != typeid(Poco::JSON::Array::Ptr)) bad(file, "link.precedence." + field, "must be a list of source names");
      auto arr = list.extract<Poco::JSON::Array::Ptr>();
      for (std::size_t i = 0; i < arr->size(); ++i) cfg.link.precedence[field].push_back(arr->getElement<std::string>(static_cast<unsigned>(i)));
    }
}

}  // namespace

namespace {

// The folder of the running program, so an installed or copied tree finds its own plugins
// and schemas rather than the build tree it was made in.
fs::path exe_dir() {
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  return ec ? fs::path() : exe.parent_path();
}

std::string first_folder(const std::vector<fs::path>& candidates, const std::string& fallback) {
  std::error_code ec;
  for (const auto& c : candidates)
    if (!c.empty() && fs::is_directory(c, ec)) return fs::weakly_canonical(c, ec).string();
  return fallback;
}

}  // namespace

// Installed (FHS): <prefix>/bin/sendhub, <prefix>/lib/sendhub/plugins, <prefix>/share/sendhub/schemas.
// A build tree: build/sendhub beside build/plugins, inside the source tree's schemas/.
std::string default_plugins_dir() {
  const fs::path dir = exe_dir();
  if (dir.empty()) return SENDHUB_DEFAULT_PLUGIN_DIR;
  return first_folder({dir / ".." / "lib" / "sendhub" / "plugins", dir / "plugins"}, SENDHUB_DEFAULT_PLUGIN_DIR);
}

std::string default_schemas_dir() {
  const fs::path dir = exe_dir();
  if (dir.empty()) return SENDHUB_DEFAULT_SCHEMAS_DIR;
  return first_folder({dir / ".." / "share" / "sendhub" / "schemas", dir / ".." / "schemas"}, SENDHUB_DEFAULT_SCHEMAS_DIR);
}

std::string resolve_path(const std::string& dir, const std::string& path) {
  // Absolute, so lineage names a file the same way whatever folder sendhub runs in.
  if (path.empty()) return path;
  if (fs::path(path).is_absolute()) return fs::path(path).lexically_normal().string();
  return fs::absolute(fs::path(dir) / path).lexically_normal().string();
}

HubConfig load_config(const std::string& file) {
  Object::Ptr root;
  try {
    auto parsed = Poco::JSON::Parser().parse(read_text(file));
    root = parsed.extract<Object::Ptr>();
  } catch (const Poco::BadCastException&) {
    throw ConfigError(Where{file, 0, ""}, "", "config.json", "must be a JSON object");
  } catch (const Poco::Exception& e) {
    throw ConfigError(Where{file, 0, ""}, "", "config.json", "not valid JSON: " + e.message());
  }
  if (!root) throw ConfigError(Where{file, 0, ""}, "", "config.json", "must be a JSON object");
  only_keys(file, "", *root, {"store", "la", "plugins_dir", "schemas_dir", "archive", "log",
                              "memory_budget_mb", "sink_threads", "sources", "sinks", "link"});
  HubConfig cfg;
  cfg.file = file;
  cfg.dir = fs::path(file).parent_path().string();
  if (cfg.dir.empty()) cfg.dir = ".";
  auto res = [&](const std::string& p) { return resolve_path(cfg.dir, p); };

  auto store = child(file, *root, "store");
  if (!store) bad(file, "store", "required key is missing");
  cfg.store_kind = store->has("kind") ? str(file, "store.kind", *store, "kind", true) : "sqlite";
  if (cfg.store_kind == "sqlite") {
    only_keys(file, "store.", *store, {"kind", "path"});
    cfg.store_path = res(str(file, "store.path", *store, "path", true));
  } else if (cfg.store_kind == "postgresql") {
    // The password never: only the name of the environment variable holding it.
    only_keys(file, "store.", *store, {"kind", "conninfo", "password_env", "dir"});
    cfg.store_conninfo = str(file, "store.conninfo", *store, "conninfo", true);
    cfg.store_password_env = str(file, "store.password_env", *store, "password_env", false);
    const std::string dir = str(file, "store.dir", *store, "dir", false);
    cfg.store_path = (fs::path(res(dir.empty() ? "var" : dir)) / "pool").string();
  } else {
    bad(file, "store.kind", "must be \"sqlite\" or \"postgresql\"");
  }

  if (auto la = child(file, *root, "la")) {
    only_keys(file, "la.", *la, {"code", "name"});
    cfg.la_code = str(file, "la.code", *la, "code", true);
    cfg.la_name = str(file, "la.name", *la, "name", false);
    if (cfg.la_code.size() != 3 || cfg.la_code.find_first_not_of("0123456789") != std::string::npos)
      bad(file, "la.code", "must be the 3-digit DfE LA number");
  }
  std::string plugins = str(file, "plugins_dir", *root, "plugins_dir", false);
  cfg.plugins_dir = plugins.empty() ? default_plugins_dir() : res(plugins);
  std::string schemas = str(file, "schemas_dir", *root, "schemas_dir", false);
  cfg.schemas_dir = schemas.empty() ? default_schemas_dir() : res(schemas);
  cfg.archive_dir = (fs::path(cfg.store_path).parent_path() / "archive").string();
  if (auto archive = child(file, *root, "archive")) {
    only_keys(file, "archive.", *archive, {"dir", "retention_days"});
    if (archive->has("dir")) cfg.archive_dir = res(str(file, "archive.dir", *archive, "dir", true));
    if (archive->has("retention_days")) {
      auto v = archive->get("retention_days");
      if (!v.isInteger() || v.convert<int>() < 1) bad(file, "archive.retention_days", "must be a whole number of days, at least 1");
      cfg.retention_days = v.convert<int>();
    }
  }
  std::string log = str(file, "log", *root, "log", false);
  cfg.log_file = log.empty() ? "" : res(log);
  if (root->has("memory_budget_mb")) {
    auto v = root->get("memory_budget_mb");
    if (!v.isNumeric() || v.convert<double>() < 0 || v.convert<double>() > 1048576)
      bad(file, "memory_budget_mb", "must be a number of megabytes, 0 (always stream from the store) or more");
    cfg.memory_budget_mb = v.convert<double>();
  }
  if (root->has("sink_threads")) {
    auto v = root->get("sink_threads");
    if (!v.isInteger() || v.convert<int>() < 1 || v.convert<int>() > 64)
      bad(file, "sink_threads", "must be a whole number from 1 (the sinks one after another) to 64");
    cfg.sink_threads = v.convert<int>();
  }

  std::set<std::string> names;
  cfg.sources = connectors(file, *root, "sources", names);
  cfg.sinks = connectors(file, *root, "sinks", names);
  cfg.link.rules = cfg.schemas_dir + "/link/rules.json";
  cfg.link.conflicts = (fs::path(cfg.store_path).parent_path() / "conflicts.csv").string();
  if (auto link = child(file, *root, "link")) read_link(file, *link, cfg);
  return cfg;
}

}  // namespace sendhub
