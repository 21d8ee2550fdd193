// pipeline/dataset_cache.h: the dataset walked once per run, not once per sink, while it fits a
// memory budget (issue 30.2 and 30.4). The first sink's walk reads the store group by group, as
// always, and keeps a copy of each stored group (before precedence, every return year) while the
// copies fit the budget; every later walk, whatever its query, is made from the copies: in the
// same order, or in the order the store gives for its query (group_keys: one indexed query, no
// records read). Past the budget the copies are dropped and every walk streams from the store
// again, so a council runs at in-memory speed and the nation in flat memory (the budget bounds
// what the hub holds beyond one group). A budget of 0 always streams. The copies are compact
// bytes (group_codec.h), about a fifth of the objects' size.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <unordered_map>
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
  void walk_store(const HubConfig& cfg, Store& store, const PersonQuery& query, const std::function<void(PersonGroup&)>& visit);
  bool walk_kept(const HubConfig& cfg, Store& store, const PersonQuery& query, const std::function<void(PersonGroup&)>& visit);
  void drop();

  std::size_t budget_;
  std::size_t bytes_ = 0;
  bool over_ = false;       // the budget was passed once: no more copies this run
  bool complete_ = false;   // the copies hold a whole walk
  int order_year_ = 0;      // the order they were kept in
  GroupCodec codec_;
  std::vector<std::string> groups_;                   // each stored group as bytes, in that order
  std::unordered_map<std::string, std::size_t> at_;   // group key -> its place in groups_
  int store_walks_ = 0, cached_walks_ = 0;
};

}  // namespace sendhub
