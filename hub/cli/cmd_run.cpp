#include "cli/commands.h"
#include "pipeline/run.h"

namespace sendhub::cli {

int cmd_run(const Invocation& inv) {
  HubConfig cfg = config_for(inv);
  if (inv.has("db")) cfg.store_kind = "sqlite", cfg.store_path = inv.get("db");
  return run_pipeline(cfg, RunOptions{date_option(inv, "as-at"), inv.has("rekey")});
}

}  // namespace sendhub::cli
