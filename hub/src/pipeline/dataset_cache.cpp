#include "pipeline/dataset_cache.h"

#include "pipeline/resolved_dataset.h"

namespace sendhub {

void DatasetCache::each(const HubConfig& cfg, Store& store, const PersonQuery& query,
                        const std::function<void(PersonGroup&)>& visit) {
  const Key key{query.order_year, query.loaded_years};
  if (auto it = walks_.find(key); it != walks_.end() && it->second.complete) {
    ++cached_walks_;
    for (const auto& bytes : it->second.groups) {
      PersonGroup group = codec_.decode(bytes);
      visit(group);
    }
    return;
  }
  ++store_walks_;
  Walk* walk = over_ || budget_ == 0 ? nullptr : &walks_[key];
  each_person_group(cfg, store, query, [&](PersonGroup& group) {
    if (walk) {
      std::string bytes = codec_.encode(group);
      bytes_ += bytes.capacity() + sizeof(std::string);
      if (bytes_ + codec_.interned_bytes() > budget_) {   // past the budget: every copy goes
        over_ = true;
        walks_.clear();
        bytes_ = 0;
        walk = nullptr;
      } else {
        walk->groups.push_back(std::move(bytes));
      }
    }
    visit(group);
  });
  if (walk) walk->complete = true;
}

}  // namespace sendhub
