#include "pipeline/resolved_dataset.h"

#include <map>

#include "link/dataset.h"
#include "link/link_rules.h"
#include "link/precedence.h"
#include "pipeline/fingerprint.h"

namespace sendhub {
namespace {

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += i + ",";
  return out;
}

// What the resolved copy depends on: the data and links it was made from, the precedence
// and link rules that merged them, which connector each source is, this build and schemas/.
std::string resolved_mark(const HubConfig& cfg, Store& store) {
  const LinkState links = store.link_state();
  std::string mark = build_and_schemas_mark(cfg.schemas_dir) + " data " + std::to_string(links.data_version) + " linked " +
                     std::to_string(links.linked_version) + " links " + store.dataset_value("links_revision") +
                     " rules " + file_sha256(cfg.link.rules);
  for (const auto& [field, sources] : cfg.link.precedence) mark += " precedence " + field + "=" + joined(sources);
  for (const auto& s : cfg.sources) mark += " source " + s.name + "=" + s.connector;
  return sha256_hex(mark);
}

}  // namespace

struct PersonGroups::Rules {
  explicit Rules(const HubConfig& cfg) : link(load_link_rules(cfg.link.rules)), precedence(cfg.link.precedence, connectors(cfg), link) {}
  static std::map<std::string, std::string> connectors(const HubConfig& cfg) {
    std::map<std::string, std::string> out;
    for (const auto& s : cfg.sources) out[s.name] = s.connector;
    return out;
  }
  LinkRules link;   // Precedence refers to it
  Precedence precedence;
};

namespace {

// What a group's copy depends on beyond its records: the merge (precedence, link rules, each
// source's connector), the copy's encoding and this build.
std::string copies_mark(const HubConfig& cfg) {
  std::string mark = std::string("merged copy 1 ") + SENDHUB_VERSION + " " + SENDHUB_ABI_FINGERPRINT + " rules " +
                     file_sha256(cfg.link.rules);
  for (const auto& [field, sources] : cfg.link.precedence) mark += " precedence " + field + "=" + joined(sources);
  for (const auto& s : cfg.sources) mark += " source " + s.name + "=" + s.connector;
  return sha256_hex(mark);
}

}  // namespace

PersonGroups::PersonGroups(const HubConfig& cfg) : rules_(std::make_unique<Rules>(cfg)) {
  copies_.mark = copies_mark(cfg);
  // Merged with no loaded years (every record stays in `stored`), so that one copy serves a
  // walk asking for any: group_from_copy takes its loaded records from the loadable ones.
  copies_.make = [this](StoredGroup& stored) {
    const PersonGroup group = make_person_group(stored, rules_->precedence, {});
    std::vector<const Record*> loadable;
    for (const auto& r : stored.records)
      if (r.return_year > 0) loadable.push_back(&r);
    return group_codec::encode_merged(group, loadable);
  };
}
PersonGroups::~PersonGroups() = default;

PersonGroup PersonGroups::make(StoredGroup& stored, const std::vector<int>& loaded_years) const {
  return make_person_group(stored, rules_->precedence, loaded_years);
}

PersonGroup& group_from_copy(std::string_view copy, const std::vector<int>& loaded_years, CopyScratch& scratch) {
  PersonGroup& group = scratch.group;
  // Only the loaded years' records are decoded (a return's sink asks for two of the three a
  // child's copy may hold), straight into the loaded ones.
  group_codec::decode_merged(copy, group, loaded_years.empty() ? nullptr : &group.loaded, scratch.buffers, &loaded_years);
  return group;
}

void each_person_group(const HubConfig& cfg, Store& store, const PersonQuery& query,
                       const std::function<void(PersonGroup&)>& visit) {
  const PersonGroups groups(cfg);
  CopyScratch scratch;
  store.each_copy(query.order_year, groups.copies(),
                  [&](const std::string&, std::string_view copy) { visit(group_from_copy(copy, query.loaded_years, scratch)); });
}

StageRun publish_resolved(const HubConfig& cfg, Store& store) {
  StageRun out{"resolved", "", "", ""};
  auto writer = store.resolved_writer();
  if (!writer) return out;
  out.status = "ok";
  const std::string mark = resolved_mark(cfg, store);
  if (store.dataset_value("resolved_mark") == mark) {
    out.note = "unchanged";
    return out;
  }
  // As the pseudonymised extract keys them: a case or advice linked to no person is numbered,
  // so no source's own reference leaves the council's hub.
  std::int64_t records = 0, people = 0, unlinked = 0;
  each_person_group(cfg, store, {}, [&](PersonGroup& group) {
    std::string unlinked_case;
    if (group.person_key.empty()) unlinked_case = "unlinked-" + std::to_string(++unlinked);
    else ++people;
    for (const auto& r : group.records) {
      writer->add(r, r.person_key, unlinked_case.empty() ? r.case_key : unlinked_case);
      ++records;
    }
  });
  writer->commit(mark);
  out.note = std::to_string(records) + " records of " + std::to_string(people) + " people and " +
             std::to_string(unlinked) + " unlinked cases";
  return out;
}

}  // namespace sendhub
