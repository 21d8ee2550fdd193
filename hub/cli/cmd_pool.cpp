// sendhub pool-migrate: the pool's administrator applies the PostgreSQL schema (schemas/pg)
// as the pool's owner role. Council hubs never change the schema: their roles cannot.
#include <cstdio>

#include "cli/commands.h"
#include "pipeline/exit_codes.h"
#include "pipeline/store_open.h"

namespace sendhub::cli {

int cmd_pool_migrate(const Invocation& inv) {
  const HubConfig cfg = config_for(inv);
  if (cfg.store_kind != "postgresql")
    throw ConfigError(Where{cfg.file, 0, ""}, "store.kind", "usage", "pool-migrate needs a configuration whose store is postgresql");
  const int applied = migrate_pg_pool(cfg.store_conninfo, cfg.store_password_env, cfg.schemas_dir);
  std::printf("%d migration(s) applied to %s\n", applied, store_name(cfg).c_str());
  return exit_code::ok;
}

}  // namespace sendhub::cli
