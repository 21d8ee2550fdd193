// pipeline/resolved_dataset.h: the one SEND dataset as sinks see it (link/dataset.h), one
// person group at a time with the configured precedence; and, on a store that keeps a copy of
// it for readers that are not the hub (a regional pool), that copy brought up to date.
#pragma once

#include <functional>
#include <memory>
#include <vector>

#include "config/hub_config.h"
#include "sendhub/plugin.h"
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

 private:
  struct Rules;
  std::unique_ptr<Rules> rules_;
};

// Replaces the store's resolved copy when the data, the links, the precedence or this build
// changed since it was kept. status "" when the store keeps none; "ok" (note: kept or
// unchanged) or "failed" (error) otherwise.
StageRun publish_resolved(const HubConfig& cfg, Store& store);

}  // namespace sendhub
