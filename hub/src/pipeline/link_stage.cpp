#include "pipeline/link_stage.h"

#include <cstdlib>
#include <filesystem>
#include <set>

#include "io/private_file.h"
#include "link/linker.h"
#include "pipeline/log.h"
#include "sendhub/csv.h"

namespace sendhub {

std::string link_salt(const HubConfig& cfg) {
  const char* salt = std::getenv(cfg.link.salt_env.c_str());
  if (!salt || !*salt)
    throw ConfigError(Where{cfg.file, 0, ""}, "link.salt_env", "config",
                      "environment variable " + cfg.link.salt_env +
                          " is not set: person keys need a secret salt (privacy.md §5)");
  return salt;
}

void run_linking(const HubConfig& cfg, Store& store, const std::string& salt) {
  const std::int64_t version = store.link_state().data_version;
  LinkInput in;
  in.persons = store.read(RecordKind::person, 0);
  in.requests = store.read(RecordKind::request, 0);
  in.advice = store.read(RecordKind::advice, 0);
  in.plans = store.read(RecordKind::plan, 0);
  for (const auto& s : cfg.sources) in.connector_of[s.name] = s.connector;
  in.person_sources = cfg.link.person_sources;
  in.precedence = cfg.link.precedence;
  in.salt = salt;
  LinkSet links = link_records(in, load_link_rules(cfg.link.rules));
  const std::int64_t changed = store.save_links(links, version);

  std::string csv = csv::row({"person_key", "field", "sources", "winner"});
  for (const auto& c : links.conflicts) csv += csv::row({c.person_key, c.field, c.sources, c.winner});
  io::write_file_atomic(cfg.link.conflicts, csv);  // after the links are saved: see run.cpp

  std::int64_t unlinked_requests = 0, unlinked_advice = 0;
  for (const auto& r : links.requests) unlinked_requests += r.person_key.empty() ? 1 : 0;
  for (const auto& a : links.advice) unlinked_advice += a.person_key.empty() ? 1 : 0;
  log_line(LogLevel::info, "linking",
           std::to_string(links.persons.size()) + " person records -> " + std::to_string(links.linked.size()) +
               " people; " + std::to_string(unlinked_requests) + " requests and " + std::to_string(unlinked_advice) +
               " advice unlinked; " + std::to_string(links.conflicts.size()) + " conflicts (" + cfg.link.conflicts +
               "); " + std::to_string(changed) + " link rows changed");
}

}  // namespace sendhub
