// pipeline/dataset_cache.h: the dataset walked once per run, not once per sink, while it fits a
// memory budget (issue 30.2 and 30.4). The first sink's walk reads the store person by person,
// as always, and keeps a copy of each group while the copies fit the budget; the sinks after it
// are served from the copies. Past the budget the copies are dropped and every walk streams
// from the store again, so a council runs at in-memory speed and the nation in flat memory
// (the budget bounds what the hub holds beyond one group). A budget of 0 always streams.
// The copies are kept as compact bytes (group_codec.h), about a fifth of the objects' size.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <utility>
#include <vector>

#include "config/hub_config.h"
#include "pipeline/group_codec.h"
#include "sendhub/plugin.h"
#include "store/store.h"

namespace sendhub {

class DatasetCache {
 public:
  explicit DatasetCache(std::size_t budget_bytes) : budget_(budget_bytes) {}
  // As each_person_group: the groups of `query` in order, each a fresh copy the visitor may change.
  void each(const HubConfig& cfg, Store& store, const PersonQuery& query, const std::function<void(PersonGroup&)>& visit);
  std::size_t bytes() const { return bytes_; }
  // How many walks the store served and how many the copies did (for the run log and tests).
  int store_walks() const { return store_walks_; }
  int cached_walks() const { return cached_walks_; }

 private:
  using Key = std::pair<int, std::vector<int>>;   // PersonQuery's order_year, loaded_years
  struct Walk {
    std::vector<std::string> groups;   // each group as GroupCodec bytes
    bool complete = false;
  };
  GroupCodec codec_;
  std::size_t budget_;
  std::size_t bytes_ = 0;
  bool over_ = false;   // the budget was passed once: no more copies this run
  std::map<Key, Walk> walks_;
  int store_walks_ = 0, cached_walks_ = 0;
};

}  // namespace sendhub
