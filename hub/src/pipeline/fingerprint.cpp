#include "pipeline/fingerprint.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <mutex>
#include <sstream>

#include "io/sha256.h"
#include "pipeline/input_archive.h"

namespace sendhub {
namespace fs = std::filesystem;

std::string sha256_hex(std::string_view bytes) { return io::sha256_hex(bytes); }

// A run asks for the same files' digests many times (every schema file once per connector
// mark and stage, a sink's reference files once for its outputs' mark and once for its
// parts'): a file whose stat (size, times, inode) is settled and unchanged since it was hashed
// in this process is not read again, as input files are not (input_archive.h).
std::string file_sha256(const std::string& path) {
  static std::mutex lock;
  static std::map<std::string, std::pair<std::string, std::string>> known;   // path -> stat, digest
  const std::string stat = input_stat(path);
  if (!stat.empty()) {
    const std::lock_guard<std::mutex> hold(lock);
    if (auto it = known.find(path); it != known.end() && it->second.first == stat) return it->second.second;
  }
  std::string hex;
  std::int64_t size = 0;
  if (!io::hash_file(path, hex, size)) return "";
  if (!stat.empty() && input_stat(path) == stat) {   // unchanged while read
    const std::lock_guard<std::mutex> hold(lock);
    known[path] = {stat, hex};
  }
  return hex;
}

std::string build_and_schemas_mark(const std::string& schemas_dir) {
  std::vector<std::string> files;
  std::error_code ec;
  for (const auto& e : fs::recursive_directory_iterator(schemas_dir, ec))
    if (e.is_regular_file()) files.push_back(e.path().string());
  std::sort(files.begin(), files.end());
  std::string all = std::string(SENDHUB_VERSION) + " " + SENDHUB_ABI_FINGERPRINT;
  // Each path starts with schemas_dir, as the walk found it: the name below it is lexical
  // (fs::relative resolved every file's links, a third of a fresh run's marks).
  for (const auto& f : files)
    all += " " + fs::path(f).lexically_relative(schemas_dir).string() + "=" + file_sha256(f);
  return sha256_hex(all);
}

std::string connector_mark(const HubConfig& cfg, const ConnectorConfig& c, const std::vector<ConfigKey>& keys,
                           const std::vector<std::string>& outputs) {
  std::ostringstream json;
  c.object->stringify(json);
  std::string all = json.str();
  for (const auto& k : keys)
    if (k.type == "path" && c.object->has(k.name) && c.object->get(k.name).isString() &&
        std::find(outputs.begin(), outputs.end(), k.name) == outputs.end())
      all += " " + k.name + "=" + file_sha256(resolve_path(cfg.dir, c.object->getValue<std::string>(k.name)));
  return sha256_hex(all + " " + build_and_schemas_mark(cfg.schemas_dir));
}

}  // namespace sendhub
