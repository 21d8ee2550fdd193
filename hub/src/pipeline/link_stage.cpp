#include "pipeline/link_stage.h"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <chrono>
#include <cstdlib>
#include <map>
#include <filesystem>
#include <set>

#include "io/private_file.h"
#include "link/link_rules.h"
#include "link/linker.h"
#include "link/person_key.h"
#include "pipeline/fingerprint.h"
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

void check_salt(Store& store, const std::string& salt, bool rekey) {
  const std::string check = hmac_sha256_hex(salt, "sendhub salt check").substr(0, 16);
  const std::string stored = store.dataset_value("salt_check");
  if (!stored.empty() && stored != check && store.linked_records() > 0) {
    if (!rekey)
      throw ConfigError(Where{}, "link.salt_env", "link.salt",
                        "the salt is not the one this store's person keys were made with: every person_key "
                        "would change (extracts, explain, pooled data). Restore the salt, or run with --rekey to "
                        "re-key everyone");
    log_line(LogLevel::warning, "linking", "the salt changed: every person is re-keyed (--rekey)");
  }
  if (stored != check) store.set_dataset_value("salt_check", check);
}

// People in one source and their requests in another, with no link.person_sources entry:
// every request stays unlinked and its case is counted apart (issue 12.9). Name the entry.
std::vector<std::string> person_sources_hints(const HubConfig& cfg, Store& store) {
  std::vector<std::string> hints;
  for (const auto& [source, unlinked] : store.unlinked_requests()) {
    if (cfg.link.person_sources.count(source)) continue;
    for (const auto& [other, hits] : unlinked.named_in) {
      if (hits * 2 < unlinked.count || hits == 0) continue;
      hints.push_back(std::to_string(unlinked.count) + " requests of source " + source + " are unlinked and " +
                      std::to_string(hits) + " of them name people that source " + other +
                      " holds: add \"link\": {\"person_sources\": {\"" + source + "\": \"" + other +
                      "\"}} to the configuration");
    }
  }
  return hints;
}

namespace {

long resident_mb() {
  long pages = 0, resident = 0;
  if (FILE* f = std::fopen("/proc/self/statm", "r")) {
    if (std::fscanf(f, "%ld %ld", &pages, &resident) != 2) resident = 0;
    std::fclose(f);
  }
  return resident * (::sysconf(_SC_PAGESIZE) / 1024) / 1024;
}

// What the links depend on beyond the data: the link configuration, its rules, the salt
// and this build.
std::string link_mark(const HubConfig& cfg, const std::string& salt) {
  std::string all = "rules " + file_sha256(cfg.link.rules) + " salt " + hmac_sha256_hex(salt, "sendhub link mark");
  for (const auto& [a, b] : cfg.link.person_sources) all += " person " + a + "=" + b;
  for (const auto& [a, b] : cfg.link.request_sources) all += " request " + a + "=" + b;
  for (const auto& [field, sources] : cfg.link.precedence) {
    all += " precedence " + field;
    for (const auto& s : sources) all += "," + s;
  }
  for (const auto& s : cfg.sources) all += " source " + s.name + "=" + s.connector;
  return sha256_hex(all + " " + build_and_schemas_mark(cfg.schemas_dir));
}

}  // namespace

bool run_linking(const HubConfig& cfg, Store& store, const std::string& salt) {
  const std::int64_t version = store.link_state().data_version;
  const std::string mark = link_mark(cfg, salt);
  // With the same configuration, rules and build, only the changed records' people are
  // linked again (when the store knows what changed); else everyone is.
  const bool same_setup = store.dataset_value("link_mark") == mark && std::filesystem::exists(cfg.link.conflicts);
  if (store.link_state().current() && same_setup) {
    log_line(LogLevel::info, "linking", "nothing changed since the last linking: the links stand");
    return false;
  }
  // --verbose: each step's seconds, the memory held after it and the peak so far, which
  // tells the step that sets the run's peak (BENCHMARKS.md).
  auto t0 = std::chrono::steady_clock::now();
  auto lap = [&](const char* what) {
    const auto now = std::chrono::steady_clock::now();
    rusage usage{};
    ::getrusage(RUSAGE_SELF, &usage);
    char line[128];
    std::snprintf(line, sizeof line, "%s in %.3f s, %ld MB resident, peak so far %ld MB", what,
                  std::chrono::duration<double>(now - t0).count(), resident_mb(), usage.ru_maxrss / 1024);
    log_line(LogLevel::debug, "linking", line);
    t0 = now;
  };
  LinkOptions options{{}, cfg.link.precedence, salt, same_setup};
  for (const auto& src : cfg.sources) options.connector_of[src.name] = src.connector;
  const LinkRules rules = load_link_rules(cfg.link.rules);
  auto scratch = store.link_scratch(cfg.link.person_sources);
  const LinkCounts counts = link_dataset(*scratch, options, rules);
  lap("linked");
  const std::int64_t changed = scratch->save(version, cfg.link.request_sources);
  lap("saved the links and the dataset index");
  // A linking of everything counted every unlinked request: with none, there is nothing to
  // hint at, and the look (a scan of every request link: 20 s at 1,000,000 children) is skipped.
  if (counts.narrowed || counts.unlinked_requests > 0)
    for (const auto& hint : person_sources_hints(cfg, store)) log_line(LogLevel::warning, "linking", hint);
  lap("checked person_sources");

  // After the links are saved: see run.cpp. Written as it is read, never held whole.
  auto csv = io::create_output(cfg.link.conflicts);
  csv->write(csv::row({"person_key", "field", "sources", "winner"}));
  scratch->each_conflict([&](const LinkConflict& c) { csv->write(csv::row({c.person_key, c.field, c.sources, c.winner})); });
  csv->commit();
  store.set_dataset_value("link_mark", mark);

  const std::string scope = counts.narrowed ? "only what " + std::to_string(counts.changed) +
                                                   " changed person and advice records touch, linked again: "
                                             : "";
  log_line(LogLevel::info, "linking",
           scope + std::to_string(counts.person_records) + " person records -> " + std::to_string(counts.people) + " people; " +
               std::to_string(counts.unlinked_requests) + " requests and " + std::to_string(counts.unlinked_advice) +
               " advice unlinked; " + std::to_string(counts.conflicts) + " conflicts (" + cfg.link.conflicts + "); " +
               std::to_string(changed) + " link rows changed");
  return true;
}

}  // namespace sendhub
