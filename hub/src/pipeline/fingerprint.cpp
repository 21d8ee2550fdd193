#include "pipeline/fingerprint.h"

#include <algorithm>
#include <filesystem>
#include <sstream>

#include "io/sha256.h"

namespace sendhub {
namespace fs = std::filesystem;

std::string sha256_hex(std::string_view bytes) { return io::sha256_hex(bytes); }

std::string file_sha256(const std::string& path) {
  std::string hex;
  std::int64_t size = 0;
  return io::hash_file(path, hex, size) ? hex : "";
}

std::string build_and_schemas_mark(const std::string& schemas_dir) {
  std::vector<std::string> files;
  std::error_code ec;
  for (const auto& e : fs::recursive_directory_iterator(schemas_dir, ec))
    if (e.is_regular_file()) files.push_back(e.path().string());
  std::sort(files.begin(), files.end());
  std::string all = std::string(SENDHUB_VERSION) + " " + SENDHUB_ABI_FINGERPRINT;
  for (const auto& f : files) all += " " + fs::relative(f, schemas_dir).string() + "=" + file_sha256(f);
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
