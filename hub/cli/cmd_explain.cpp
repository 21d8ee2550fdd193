// sendhub explain PERSON_KEY: a linked person's records and where each resolved value came
// from. Values are masked unless --show-personal is given at a terminal.
#include <unistd.h>

#include <filesystem>
#include <iomanip>
#include <iostream>
#include <map>

#include "cli/commands.h"
#include "pipeline/store_open.h"
#include "pipeline/exit_codes.h"
#include "store/store.h"

namespace sendhub::cli {
namespace {

std::string where(const Record& r) {
  std::string out = r.origin.file;
  if (r.origin.line > 0) out += ":" + std::to_string(r.origin.line);
  if (!r.origin.path.empty()) out += " " + r.origin.path;
  return out + " (run " + std::to_string(r.run_id) + ")";
}

std::map<std::string, std::string> split_origins(const std::string& origins) {
  std::map<std::string, std::string> out;
  std::size_t start = 0;
  while (start < origins.size()) {
    auto end = origins.find(';', start);
    if (end == std::string::npos) end = origins.size();
    auto part = origins.substr(start, end - start);
    if (auto eq = part.find('='); eq != std::string::npos) out[part.substr(0, eq)] = part.substr(eq + 1);
    start = end + 1;
  }
  return out;
}

}  // namespace

int cmd_explain(const Invocation& inv) {
  if (inv.args.size() != 1) throw ConfigError(Where{}, "", "usage", "usage: sendhub explain PERSON_KEY [--show-personal]");
  const bool show = inv.has("show-personal");
  if (show && !::isatty(STDOUT_FILENO))
    throw ConfigError(Where{}, "--show-personal", "usage", "personal values are shown only at a terminal, never into a file or pipe");
  const HubConfig cfg = store_config(inv);
  if (!store_exists(cfg)) throw ConfigError(Where{cfg.store_path, 0, ""}, "", "store", "no store here yet (run sendhub run first)");
  auto store = open_store(cfg);
  const std::string key = inv.args[0];
  const LinkSet links = store->links_of(key);   // this person's rows only: explain stays instant at any size
  auto person = std::find_if(links.linked.begin(), links.linked.end(), [&](const LinkedPerson& p) { return p.person_key == key; });
  if (person == links.linked.end()) {
    std::cerr << "sendhub: no linked person with key " << key << "\n";
    return exit_code::data_problems;
  }
  std::map<std::string, const Record*> records;  // "source|key" -> record
  const auto linked = store->linked_records_of(key);
  for (const auto& r : linked) records[r.source + "|" + r.key()] = &r;

  std::cout << "person " << key << "\nrecords:\n";
  for (const auto& l : links.persons)
    if (l.person_key == key) {
      const Record* r = records[l.source + "|" + l.person_ref];
      std::cout << "  " << std::left << std::setw(20) << l.source << std::setw(14) << l.person_ref << " rule "
                << std::setw(16) << l.rule << (r ? where(*r) : "") << "\n";
    }
  std::map<std::string, std::string> conflicts;
  for (const auto& c : links.conflicts)
    if (c.person_key == key) conflicts[c.field] = c.sources;
  std::cout << "values" << (show ? "" : " (masked; --show-personal at a terminal shows them)") << ":\n";
  auto origins = split_origins(person->origins);
  std::size_t i = 0;
  for (const auto& f : spec(RecordKind::person).fields) {
    if (f.name == "person_ref") continue;
    const std::string field(f.name);
    const std::string& value = person->values[i++];
    std::string shown = value.empty() ? "-" : show ? value : "***";
    std::cout << "  " << std::left << std::setw(12) << field << std::setw(24) << shown;
    if (auto o = origins.find(field); o != origins.end()) {
      std::cout << "from " << o->second;
      if (const Record* r = records[o->second]) std::cout << "  " << where(*r);
    }
    if (conflicts.count(field)) std::cout << "  [sources disagree: " << conflicts[field] << "]";
    std::cout << "\n";
  }
  std::cout << "requests:\n";
  for (const auto& r : links.requests)
    if (r.person_key == key) {
      // The case key is person_key/received_date: the date is what tells cases apart here.
      const bool dated = r.case_key.rfind(key + "/", 0) == 0;
      std::cout << "  " << std::setw(20) << r.source << std::setw(24) << r.request_ref << " received "
                << (dated ? r.case_key.substr(key.size() + 1) : "-") << "\n";
    }
  std::cout << "advice:\n";
  for (const auto& a : links.advice)
    if (a.person_key == key)
      std::cout << "  " << std::setw(20) << a.source << std::setw(14) << a.advice_ref << " -> " << a.request_source << " "
                << a.request_ref << "  rule " << a.rule << "\n";
  return exit_code::ok;
}

}  // namespace sendhub::cli
