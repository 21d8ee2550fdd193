#include "pipeline/store_open.h"

#include <filesystem>

namespace sendhub {

std::unique_ptr<Store> open_store(const HubConfig& cfg) {
  if (cfg.store_kind == "postgresql") return open_pg_store(cfg.store_conninfo, cfg.store_password_env, cfg.schemas_dir);
  return open_sqlite_store(cfg.store_path, cfg.schemas_dir);
}

bool store_exists(const HubConfig& cfg) {
  return cfg.store_kind == "postgresql" || std::filesystem::exists(cfg.store_path);
}

std::string store_name(const HubConfig& cfg) {
  return cfg.store_kind == "postgresql" ? "the PostgreSQL pool (" + cfg.store_conninfo + ")" : cfg.store_path;
}

}  // namespace sendhub
