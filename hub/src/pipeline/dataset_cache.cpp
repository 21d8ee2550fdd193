#include "pipeline/dataset_cache.h"

#include "pipeline/resolved_dataset.h"

namespace sendhub {

void DatasetCache::each(const HubConfig& cfg, Store& store, const PersonQuery& query,
                        const std::function<void(PersonGroup&)>& visit) {
  if (complete_ && walk_kept(cfg, store, query, visit)) {
    ++cached_walks_;
    return;
  }
  ++store_walks_;
  walk_store(cfg, store, query, visit);
}

void DatasetCache::drop() {
  over_ = true;
  complete_ = false;
  groups_ = {};
  at_ = {};
  bytes_ = 0;
}

void DatasetCache::walk_store(const HubConfig& cfg, Store& store, const PersonQuery& query,
                              const std::function<void(PersonGroup&)>& visit) {
  const bool keep = !over_ && !complete_ && budget_ > 0;
  const PersonGroups maker(cfg);
  store.each_group(query.order_year, [&](StoredGroup& stored) {
    if (keep && !over_) {
      std::string bytes = codec_.encode(stored);
      bytes_ += bytes.capacity() + sizeof(std::string) + stored.key.size() + 64;   // the bytes, the key's map node
      if (bytes_ + codec_.interned_bytes() > budget_) {
        drop();
      } else {
        at_.emplace(stored.key, groups_.size());
        groups_.push_back(std::move(bytes));
      }
    }
    PersonGroup group = maker.make(stored, query.loaded_years);
    visit(group);
  });
  if (keep && !over_) {
    complete_ = true;
    order_year_ = query.order_year;
  }
}

// False when the kept groups cannot serve the query (a key the store orders that they lack):
// the caller walks the store instead.
bool DatasetCache::walk_kept(const HubConfig& cfg, Store& store, const PersonQuery& query,
                             const std::function<void(PersonGroup&)>& visit) {
  std::vector<std::size_t> order;
  if (query.order_year != order_year_) {
    const auto keys = store.group_keys(query.order_year);
    if (keys.size() != groups_.size()) return false;
    order.reserve(keys.size());
    for (const auto& k : keys) {
      auto it = at_.find(k);
      if (it == at_.end()) return false;
      order.push_back(it->second);
    }
  }
  const PersonGroups maker(cfg);
  for (std::size_t i = 0; i < groups_.size(); ++i) {
    StoredGroup stored = codec_.decode_stored(groups_[order.empty() ? i : order[i]]);
    PersonGroup group = maker.make(stored, query.loaded_years);
    visit(group);
  }
  return true;
}

}  // namespace sendhub
