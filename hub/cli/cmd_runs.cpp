#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <filesystem>
#include <iomanip>
#include <iostream>

#include "cli/commands.h"
#include "pipeline/store_open.h"
#include "pipeline/exit_codes.h"
#include "pipeline/run_json.h"
#include "store/store.h"

namespace sendhub::cli {

int cmd_runs(const Invocation& inv) {
  const HubConfig cfg = store_config(inv);
  if (!store_exists(cfg)) throw ConfigError(Where{cfg.store_path, 0, ""}, "", "store", "no store here yet (run sendhub run first)");
  auto store = open_store(cfg);
  auto runs = store->runs();
  if (inv.has("json")) {
    Poco::JSON::Array out;
    for (const auto& r : runs) out.add(run_to_json(r));
    out.stringify(std::cout);
    std::cout << "\n";
    return exit_code::ok;
  }
  for (const auto& r : runs) {
    std::cout << "run " << r.run_id << "  " << r.started << " .. " << (r.finished.empty() ? "-" : r.finished)
              << "  " << r.status << "  as at " << r.as_at << "\n";
    for (const auto& s : r.sources)
      std::cout << "    " << std::left << std::setw(24) << s.name << " " << std::setw(7) << s.status
                << " read " << s.counts.read << ", stored " << s.counts.stored << ", unchanged "
                << s.counts.unchanged << ", quarantined " << s.counts.quarantined
                << (s.counts.replaced ? ", replaced " + std::to_string(s.counts.replaced) : "") << "\n";
  }
  return exit_code::ok;
}

}  // namespace sendhub::cli
