// pipeline/resolved_dataset.h: the one SEND dataset as sinks see it (link/dataset.h), one
// person group at a time with the configured precedence; and, on a store that keeps a copy of
// it for readers that are not the hub (a regional pool), that copy brought up to date.
#pragma once

#include <functional>
#include <memory>
#include <string_view>
#include <vector>

#include "config/hub_config.h"
#include "sendhub/plugin.h"
#include "store/group_codec.h"
#include "store/store.h"

namespace sendhub {

void each_person_group(const HubConfig& cfg, Store& store, const PersonQuery& query,
                       const std::function<void(PersonGroup&)>& visit);

// A stored group as sinks see it, with the configured precedence (made once per walk).
class PersonGroups {
 public:
  explicit PersonGroups(const HubConfig& cfg);
  ~PersonGroups();
  PersonGroups(const PersonGroups&) = delete;
  PersonGroups& operator=(const PersonGroups&) = delete;
  PersonGroup make(StoredGroup& stored, const std::vector<int>& loaded_years) const;
  // How a group becomes its copy (Store::each_copy): merged, with every record it can give as a
  // loaded return, as group_codec's merged bytes; the mark names the precedence, the link rules,
  // each source's connector and this build. What the run's walk cache keeps, and a file store
  // between runs, so that a walk after a night's change merges only the changed groups.
  const CopyMaker& copies() const { return copies_; }

 private:
  struct Rules;
  std::unique_ptr<Rules> rules_;
  CopyMaker copies_;
};

// What a walk decodes copies into group after group, its buffers kept.
struct CopyScratch {
  PersonGroup group;
  group_codec::Buffers buffers;
};
// The group a copy holds, its records of loaded_years as a loaded return: valid until the
// scratch's next decode. Throws Error (rule store.copy) on a damaged copy.
PersonGroup& group_from_copy(std::string_view copy, const std::vector<int>& loaded_years, CopyScratch& scratch);

// Replaces the store's resolved copy when the data, the links, the precedence or this build
// changed since it was kept. status "" when the store keeps none; "ok" (note: kept or
// unchanged) or "failed" (error) otherwise.
StageRun publish_resolved(const HubConfig& cfg, Store& store);

}  // namespace sendhub
