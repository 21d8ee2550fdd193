#include "pipeline/link_stage.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <chrono>
#include <cstdlib>
#include <map>
#include <filesystem>
#include <set>

#include "io/private_file.h"
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
  if (!stored.empty() && stored != check && !store.read_links().persons.empty()) {
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
std::vector<std::string> person_sources_hints(const HubConfig& cfg, const std::vector<PackedRecord>& persons,
                                              const std::vector<PackedRecord>& requests, const LinkSet& links) {
  std::vector<std::string> hints;
  std::map<std::string, std::set<std::string>> people_of;  // source -> its person_refs
  for (const auto& p : persons) people_of[p.source].insert(p.get("person_ref"));
  std::map<std::pair<std::string, std::string>, std::string> person_of;  // (source, request_ref) -> person_ref
  for (const auto& r : requests) person_of[{r.source, r.get("request_ref")}] = r.get("person_ref");
  std::map<std::string, std::vector<std::string>> unlinked;  // request source -> person_refs named
  for (const auto& l : links.requests)
    if (l.person_key.empty()) unlinked[l.source].push_back(person_of[{l.source, l.request_ref}]);
  for (const auto& [source, refs] : unlinked) {
    if (cfg.link.person_sources.count(source)) continue;
    for (const auto& [other, holds] : people_of) {
      if (other == source) continue;
      const std::set<std::string>& people = holds;  // a lambda may not capture a structured binding (clang 14)
      const auto hits = std::count_if(refs.begin(), refs.end(), [&](const std::string& r) { return people.count(r) > 0; });
      if (hits * 2 < static_cast<long>(refs.size()) || hits == 0) continue;
      hints.push_back(std::to_string(refs.size()) + " requests of source " + source + " are unlinked and " +
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
  if (store.link_state().current() && store.dataset_value("link_mark") == mark && std::filesystem::exists(cfg.link.conflicts)) {
    log_line(LogLevel::info, "linking", "nothing changed since the last linking: the links stand");
    return false;
  }
  // --verbose: each step's seconds and the memory held after it (linking holds every person
  // record at once; BENCHMARKS.md).
  auto t0 = std::chrono::steady_clock::now();
  auto lap = [&](const char* what) {
    const auto now = std::chrono::steady_clock::now();
    char line[96];
    std::snprintf(line, sizeof line, "%s in %.3f s, %ld MB resident", what,
                  std::chrono::duration<double>(now - t0).count(), resident_mb());
    log_line(LogLevel::debug, "linking", line);
    t0 = now;
  };
  LinkInput in;
  for (auto [kind, into] : {std::pair{RecordKind::person, &in.persons}, {RecordKind::request, &in.requests},
                            {RecordKind::advice, &in.advice}, {RecordKind::plan, &in.plans}})
    store.each(kind, 0, [into = into](Record& r) { into->emplace_back(r); });
  for (const auto& s : cfg.sources) in.connector_of[s.name] = s.connector;
  in.person_sources = cfg.link.person_sources;
  in.precedence = cfg.link.precedence;
  in.salt = salt;
  lap("read the records");
  LinkSet links = link_records(in, load_link_rules(cfg.link.rules));
  lap("linked");
  for (const auto& hint : person_sources_hints(cfg, in.persons, in.requests, links))
    log_line(LogLevel::warning, "linking", hint);
  lap("checked person_sources");
  const std::int64_t changed = store.save_links(links, version, cfg.link.request_sources);
  lap("saved the links and the dataset index");

  std::string csv = csv::row({"person_key", "field", "sources", "winner"});
  for (const auto& c : links.conflicts) csv += csv::row({c.person_key, c.field, c.sources, c.winner});
  io::write_file_atomic(cfg.link.conflicts, csv);  // after the links are saved: see run.cpp
  store.set_dataset_value("link_mark", mark);

  std::int64_t unlinked_requests = 0, unlinked_advice = 0;
  for (const auto& r : links.requests) unlinked_requests += r.person_key.empty() ? 1 : 0;
  for (const auto& a : links.advice) unlinked_advice += a.person_key.empty() ? 1 : 0;
  log_line(LogLevel::info, "linking",
           std::to_string(links.persons.size()) + " person records -> " + std::to_string(links.linked.size()) +
               " people; " + std::to_string(unlinked_requests) + " requests and " + std::to_string(unlinked_advice) +
               " advice unlinked; " + std::to_string(links.conflicts.size()) + " conflicts (" + cfg.link.conflicts +
               "); " + std::to_string(changed) + " link rows changed");
  return true;
}

}  // namespace sendhub
