#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <filesystem>
#include <fstream>
#include <iostream>

#include "cli/commands.h"
#include "pipeline/store_open.h"
#include "io/private_file.h"
#include "pipeline/bindings.h"
#include "pipeline/exit_codes.h"
#include "pipeline/link_stage.h"
#include "store/store.h"

namespace sendhub::cli {
namespace fs = std::filesystem;
namespace {

// Tries what a run does to write `path` (a file, or a folder it writes files into): makes
// the missing folders down to it and a file in the deepest, then removes all it made. Asking
// access() is not enough: root may "write" to /proc, where nothing can be made. "" when it
// worked, else what failed.
std::string cannot_create(const std::string& path) {
  std::error_code ec;
  const fs::path target = fs::absolute(path).lexically_normal();
  std::vector<fs::path> missing;   // deepest first
  for (fs::path p = target; !p.empty() && !fs::exists(p, ec); p = p.parent_path()) {
    missing.push_back(p);
    if (p == p.parent_path()) break;
  }
  std::vector<fs::path> made;
  std::string why;
  for (auto it = missing.rbegin(); it != missing.rend() && why.empty(); ++it) {
    if (fs::create_directory(*it, ec)) made.push_back(*it);
    else why = "cannot create folder " + it->string() + ": " + ec.message();
  }
  if (why.empty()) {
    const fs::path dir = fs::is_directory(target, ec) ? target : target.parent_path();
    const std::string probe = (dir / (".sendhub-check-" + std::to_string(::getpid()))).string();
    const int fd = ::open(probe.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) why = "cannot create a file in " + dir.string() + ": " + std::strerror(errno);
    else ::close(fd), ::unlink(probe.c_str());
  }
  for (auto it = made.rbegin(); it != made.rend(); ++it) fs::remove(*it, ec);
  return why;
}

// "" when the file is a regular file that can be read. A FIFO or device is never opened:
// opening a FIFO with no writer blocks for ever.
std::string unreadable(const std::string& file) {
  try {
    io::require_regular_file(file);
  } catch (const Error& e) {
    return "cannot read " + file + ": " + e.message();
  }
  return std::ifstream(file) ? "" : "cannot read " + file;
}

// Checks the keys whose type says they name files; returns the problems found.
std::vector<std::string> check_binding(const Binding& b, bool source) {
  std::vector<std::string> problems;
  const auto& keys = source ? b.connector->info.source_keys : b.connector->info.sink_keys;
  for (const auto& k : keys) {
    if (!b.settings->has(k.name)) continue;
    if (k.secret) {
      try {
        b.settings->secret(k.name);
      } catch (const Error& e) {
        problems.push_back(k.name + ": " + e.message());
      }
    } else if (source && k.type == "glob") {
      auto files = b.settings->glob(k.name);
      if (files.empty()) problems.push_back(k.name + ": no file matches " + b.settings->path(k.name));
      for (const auto& f : files)
        if (auto why = unreadable(f); !why.empty()) problems.push_back(k.name + ": " + why);
    } else if (k.type == "path") {
      std::string p = b.settings->path(k.name);
      if (auto why = source ? unreadable(p) : ""; !why.empty()) problems.push_back(k.name + ": " + why);
      if (auto why = source ? "" : cannot_create(p); !why.empty()) problems.push_back(k.name + ": " + why);
    }
  }
  return problems;
}

bool report(const std::string& what, const std::vector<std::string>& problems) {
  if (problems.empty()) std::cout << "ok       " << what << "\n";
  for (const auto& p : problems) std::cout << "PROBLEM  " << what << ": " << p << "\n";
  return problems.empty();
}

}  // namespace

int cmd_check(const Invocation& inv) {
  HubConfig cfg = config_for(inv);
  PluginScan scan = load_plugins(cfg.plugins_dir);
  bool ok = report("plugins " + cfg.plugins_dir, scan.refused);
  std::vector<ConfigError> config_problems;
  Bindings bindings = bind_connectors(cfg, scan, &config_problems);
  std::vector<std::string> listed;
  listed.reserve(config_problems.size());
  for (const auto& e : config_problems) listed.push_back(e.describe());
  ok = report("config " + cfg.file, listed) && ok;
  try {
    link_salt(cfg);
    ok = report("salt " + cfg.link.salt_env, {}) && ok;
  } catch (const Error& e) {
    ok = report("salt " + cfg.link.salt_env, {e.message()}) && ok;
  }
  if (cfg.store_kind == "postgresql") {   // the pool: reachable, at the schema this build needs, this role a council
    std::vector<std::string> problems;
    try {
      open_store(cfg);
    } catch (const Error& e) {
      problems.push_back(e.describe());
    }
    ok = report("store " + store_name(cfg), problems) && ok;
  } else {
    const std::string why = cannot_create(cfg.store_path);
    ok = report("store " + cfg.store_path, why.empty() ? std::vector<std::string>{} : std::vector<std::string>{why}) && ok;
  }
  for (const auto& b : bindings.sources) {
    auto problems = check_binding(b, true);
    try {
      b.connector->info.make_source()->probe(*b.settings);
    } catch (const Error& e) {
      problems.push_back(e.describe());
    }
    ok = report("source " + b.config->name, problems) && ok;
  }
  for (const auto& b : bindings.sinks) ok = report("sink " + b.config->name, check_binding(b, false)) && ok;
  if (store_exists(cfg)) {  // what the last run's data says about the linking settings
    auto store = open_store(cfg);
    ok = report("linking", person_sources_hints(cfg, *store)) && ok;
  }
  // Everything `run` would stop at is listed above; any of it is a configuration problem.
  return ok ? exit_code::ok : exit_code::usage;
}

}  // namespace sendhub::cli
