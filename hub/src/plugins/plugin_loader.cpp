#include "plugins/plugin_loader.h"

#include <Poco/SharedLibrary.h>
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>

#include "plugins/build_id.h"

namespace sendhub {
namespace fs = std::filesystem;
namespace {

using VersionFn = int (*)();
using FingerprintFn = const char* (*)();
using RegisterFn = void (*)(Registry&);

// Libraries stay loaded until exit: connectors hold code from them.
std::vector<std::unique_ptr<Poco::SharedLibrary>>& keep_alive() {
  static std::vector<std::unique_ptr<Poco::SharedLibrary>> libs;
  return libs;
}

// Refuses what someone other than its owner or root could have written (as ssh does).
std::string unsafe_reason(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return "cannot be read";
  // A sticky folder such as /tmp lets others add files, not replace ours.
  bool sticky_dir = S_ISDIR(st.st_mode) && (st.st_mode & S_ISVTX);
  if ((st.st_mode & (S_IWGRP | S_IWOTH)) && !sticky_dir)
    return "is writable by group or others; run: chmod go-w " + path;
  if (st.st_uid != 0 && st.st_uid != ::geteuid()) return "is owned by another user";
  return "";
}

class CollectingRegistry final : public Registry {
 public:
  CollectingRegistry(std::string library, std::string build_id)
      : library_(std::move(library)), build_id_(std::move(build_id)) {}
  void add(ConnectorInfo info) override { found.push_back({std::move(info), library_, build_id_}); }
  std::vector<LoadedConnector> found;

 private:
  std::string library_, build_id_;
};

std::string load_one(const std::string& file, PluginScan& scan) {
  if (auto why = unsafe_reason(file); !why.empty()) return why;
  auto lib = std::make_unique<Poco::SharedLibrary>();
  try {
    lib->load(file, Poco::SharedLibrary::SHLIB_LOCAL);
  } catch (const Poco::Exception& e) {
    return "cannot be loaded as a library (" + e.displayText() + ")";
  }
  if (!lib->hasSymbol("sendhub_plugin_api_version") || !lib->hasSymbol("sendhub_plugin_register"))
    return "is not a sendhub plugin (no sendhub_plugin_api_version/sendhub_plugin_register)";
  auto version = reinterpret_cast<VersionFn>(lib->getSymbol("sendhub_plugin_api_version"))();
  if (version != SENDHUB_API_VERSION)
    return "was built for plugin API version " + std::to_string(version) + ", this host needs " +
           std::to_string(SENDHUB_API_VERSION) + "; rebuild it";
  if (!lib->hasSymbol("sendhub_plugin_abi_fingerprint"))
    return "was built against plugin headers older than this host's (no ABI fingerprint); rebuild it";
  const std::string fingerprint = reinterpret_cast<FingerprintFn>(lib->getSymbol("sendhub_plugin_abi_fingerprint"))();
  if (fingerprint != SENDHUB_ABI_FINGERPRINT)
    return "was built against other plugin headers (ABI fingerprint " + fingerprint.substr(0, 12) +
           ", this host " + std::string(SENDHUB_ABI_FINGERPRINT).substr(0, 12) + "); rebuild it against this sendhub";
  void* const register_fn = lib->getSymbol("sendhub_plugin_register");
  CollectingRegistry registry(file, loaded_build_id(register_fn));
  try {
    reinterpret_cast<RegisterFn>(register_fn)(registry);
  } catch (const std::exception& e) {
    return std::string("failed to register its connectors: ") + e.what();
  }
  for (auto& c : registry.found) {
    if (scan.find(c.info.name)) return "registers connector " + c.info.name + " a second time";
    scan.connectors.push_back(std::move(c));
  }
  keep_alive().push_back(std::move(lib));
  return "";
}

}  // namespace

const LoadedConnector* PluginScan::find(const std::string& name) const {
  for (const auto& c : connectors)
    if (c.info.name == name) return &c;
  return nullptr;
}

PluginScan load_plugins(const std::string& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec))
    throw Error(Where{dir, 0, ""}, "plugins_dir", "plugins", "plugins folder does not exist");
  for (fs::path p = fs::absolute(dir); ; p = p.parent_path()) {
    if (auto why = unsafe_reason(p.string()); !why.empty() && why != "is owned by another user")
      throw Error(Where{p.string(), 0, ""}, "plugins_dir", "plugins", "plugins folder " + why);
    if (p == p.root_path()) break;
  }
  std::vector<std::string> files;
  for (const auto& entry : fs::directory_iterator(dir, ec))
    if (entry.path().extension() == ".so") files.push_back(entry.path().string());
  std::sort(files.begin(), files.end());
  PluginScan scan;
  for (const auto& file : files)
    if (auto why = load_one(file, scan); !why.empty()) scan.refused.push_back(file + ": " + why);
  return scan;
}

}  // namespace sendhub
