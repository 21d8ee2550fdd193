#include "pipeline/dataset_cache.h"

#include <malloc.h>

#include <algorithm>
#include <memory>

#include "link/dataset.h"
#include "pipeline/resolved_dataset.h"
#include "store/read_ahead.h"

namespace sendhub {
namespace {

std::uint64_t key_hash(const std::string& key) { return std::hash<std::string>{}(key); }

// A group read ahead: its copy, its key's hash, and the copy decoded into the slot's own
// scratch, which the next group read into the slot uses again.
struct DecodedCopy {
  std::string bytes;
  std::uint64_t hash = 0;
  std::uint32_t bucket = 0;
  CopyScratch scratch;
  PersonGroup* group = nullptr;
};

}  // namespace

// Keys are mostly 16 hex digits (link/person_key.h), whose first three give 4,096 even steps.
// Any other byte keeps the order: a key going on with a byte below '0' sorts before every key
// going on with a digit there (the places after it count 0), one above 'f' after them (they
// count 15), one between '9' and 'a' between them (as 'a', then 0s). The unlinked cases' and
// advice's keys ("case:", "advice:") so share a bucket each with a 1,024th of the people.
std::uint32_t key_bucket(std::string_view key) {
  std::uint32_t at = 0;
  int fill = -1;   // once a byte is no digit: what every place after it counts
  for (std::size_t i = 0; i < 3; ++i) {
    int digit = fill;
    if (fill < 0) {
      const int c = i < key.size() ? static_cast<unsigned char>(key[i]) : 0;   // the end: below '0'
      if (c >= '0' && c <= '9') {
        digit = c - '0';
      } else if (c >= 'a' && c <= 'f') {
        digit = c - 'a' + 10;
      } else if (c > 'f') {
        digit = fill = 15;
      } else if (c > '9') {
        digit = 10;
        fill = 0;
      } else {
        digit = fill = 0;
      }
    }
    at = at * 16 + static_cast<std::uint32_t>(digit);
  }
  return at * kSpillBuckets >> 12;
}

void DatasetCache::each(const HubConfig& cfg, Store& store, const PersonQuery& query,
                        const std::function<void(PersonGroup&)>& visit) {
  if (complete_ && walk_kept(store, query, visit)) {
    ++cached_walks_;
    return;
  }
  ++store_walks_;
  if (!complete_) return walk_store(cfg, store, query, visit);
  // A later walk the copies cannot serve may run beside another sink's: it holds the store's
  // connection throughout (and so walks on this thread).
  const std::lock_guard<StoreGate> held(store_gate_);
  walk_store(cfg, store, query, visit);
}

void DatasetCache::drop(const std::string& why) {
  over_ = true;
  complete_ = false;
  dropped_ = why;
  groups_ = {};
  held_buckets_ = {};
  spill_.reset();
  at_ = {};
  reorder_.reset();
  reorder_year_ = -1;
  bytes_ = 0;
}

// The copies so far leave memory for the temporary file; the rest of the walk follows them.
void DatasetCache::spill_out() {
  try {
    spill_ = std::make_unique<WalkSpill>("the dataset walk", kSpillBuckets);
    spill_->add_all(groups_, held_buckets_);
  } catch (const Error& e) {
    return drop(e.message());
  }
  groups_ = {};
  held_buckets_ = {};
  bytes_ = 0;
  // The budget's worth of copies just freed goes back to the system: kept by the heap, the
  // buckets' buffers (their own mapping) came on top of it (a first run at 300,000 children, one
  // SEN2 source: 473 → 488 MB of peak).
  ::malloc_trim(0);
}

// Copied only where held in memory: past the budget the bytes go straight to the file's buffer
// (a night at 100,000 children copied its 259 MB of groups into a string each first).
void DatasetCache::keep(std::uint64_t hash, std::uint32_t bucket, std::string_view bytes) {
  at_.emplace_back(hash, static_cast<std::uint32_t>(at_.size()));
  if (!spill_ && straight_to_file_) {
    spill_out();
    if (over_) return;   // the temporary file could not be made: given up
  }
  if (spill_) {
    try {
      spill_->add(bytes, bucket);
    } catch (const Error& e) {
      drop(e.message());
    }
    return;
  }
  const std::string& held = groups_.emplace_back(bytes);
  held_buckets_.push_back(static_cast<std::uint16_t>(bucket));
  bytes_ += held.capacity() + sizeof(std::string) + sizeof(std::uint16_t);
  if (bytes_ + at_.size() * sizeof(at_[0]) > budget_) spill_out();
}

bool DatasetCache::complete() {
  if (spill_) {
    try {
      spill_->flush();
    } catch (const Error& e) {
      drop(e.message());
      return false;
    }
  }
  std::sort(at_.begin(), at_.end());
  for (std::size_t i = 1; i < at_.size() && unique_hashes_; ++i) unique_hashes_ = at_[i].first != at_[i - 1].first;
  return true;
}

void DatasetCache::walk_store(const HubConfig& cfg, Store& store, const PersonQuery& query,
                              const std::function<void(PersonGroup&)>& visit) {
  const bool keeping = !over_ && !complete_ && budget_ > 0;
  const PersonGroups groups(cfg);
  const CopyMaker& maker = groups.copies();
  const CopyMaker counted{maker.mark, [&](StoredGroup& g) {
                            if (keeping) ++made_;   // the walk whose copies are kept
                            return maker.make(g);
                          }};
  if (budget_ > 0 && !store_gate_.held_here() && !store.reads_ahead(maker.mark)) {
    walk_ahead(counted, store, query, keeping, visit);
  } else {   // on this thread: a budget of 0 (no copies), a walk inside a call holding the store, or
             // a store reading ahead itself (a third thread on two cores gained nothing, for 5 MB)
    store.each_copy(query.order_year, counted, [&](const std::string& key, std::string_view copy) {
      PersonGroup& group = group_from_copy(copy, query.loaded_years, first_walk_.copy);
      if (keeping && !over_) keep(key_hash(key), key_bucket(key), copy);
      visit(group);
    });
  }
  if (keeping && !over_ && complete()) {
    complete_ = true;
    order_year_ = query.order_year;
  }
}

// The store read, each group's copy made (or read, where the store keeps it) and decoded on a
// thread of their own; here each copy is kept and its group visited. Decoded here, the copies
// held the walk's thread a quarter of its time while the reading thread waited for room (a
// night at 100,000 children: the return's walk used one core and a quarter). A copy found
// damaged gives the store's copies up, as a store does with one it finds damaged.
void DatasetCache::walk_ahead(const CopyMaker& maker, Store& store, const PersonQuery& query, bool keeping,
                              const std::function<void(PersonGroup&)>& visit) {
  bool damaged = false;   // set by the reader, read once it has ended
  SlotPool<DecodedCopy> slots;
  try {
    read_ahead_slots<DecodedCopy>(
        slots,
        [&](const std::function<void(std::unique_ptr<DecodedCopy>)>& emit) {
          std::unique_lock<StoreGate> held(store_gate_);
          store.each_copy(query.order_year, maker, [&](const std::string& key, std::string_view copy) {
            const StoreGate::Released free(held);   // let go while it decodes and hands over
            std::unique_ptr<DecodedCopy> slot = slots.take();
            slot->bytes.assign(copy);
            slot->hash = key_hash(key);
            slot->bucket = key_bucket(key);
            try {
              slot->group = &group_from_copy(slot->bytes, query.loaded_years, slot->scratch);
            } catch (const Error& e) {
              damaged = e.rule() == "store.copy";
              throw;
            }
            emit(std::move(slot));
          });
        },
        [&](DecodedCopy& slot) {
          // A copy of its own: what is kept comes from this thread's heap, as the groups visited do (kept in
          // the reading thread's, it held 7% more memory at 10,000 children: two heaps, each at its peak).
          if (keeping && !over_) keep(slot.hash, slot.bucket, slot.bytes);
          visit(*slot.group);
        });
  } catch (const Error& e) {
    if (!damaged) throw;
    const std::lock_guard<StoreGate> held(store_gate_);
    store.drop_copies();
    throw Error(e.where(), e.field(), e.rule(), e.message() + "; every copy the store kept is deleted and the next run makes them again");
  }
}

// The places of the kept groups in the store's order for order_year. False when they cannot
// serve it: two keys share a hash, or the store gives a key they lack (the caller streams).
bool DatasetCache::order_for(Store& store, int order_year, std::vector<std::uint32_t>& order) {
  if (!unique_hashes_) return false;
  const std::size_t n = at_.size();
  std::vector<bool> taken(n);
  bool ok = true;
  order.reserve(n);
  const std::lock_guard<StoreGate> held(store_gate_);
  store.each_group_key(order_year, [&](const std::string& key) {
    if (!ok) return;
    const std::pair<std::uint64_t, std::uint32_t> probe{key_hash(key), 0};
    auto it = std::lower_bound(at_.begin(), at_.end(), probe);
    ok = it != at_.end() && it->first == probe.first && !taken[it->second] && order.size() < n;
    if (!ok) return;
    taken[it->second] = true;
    order.push_back(it->second);
  });
  return ok && order.size() == n;
}

// The places for order_year, worked out once for every walk that asks (nullptr: they cannot be).
// Worked out without the lock held, which would otherwise be taken before the store's gate.
std::shared_ptr<const std::vector<std::uint32_t>> DatasetCache::reorder(Store& store, int order_year) {
  {
    const std::lock_guard<std::mutex> lock(reorder_mutex_);
    if (reorder_year_ == order_year) return reorder_;
  }
  auto order = std::make_shared<std::vector<std::uint32_t>>();
  if (!order_for(store, order_year, *order)) return nullptr;
  const std::lock_guard<std::mutex> lock(reorder_mutex_);
  reorder_ = order;
  reorder_year_ = order_year;
  return order;
}

// The group kept at `at`.
PersonGroup& DatasetCache::decoded(std::size_t at, const std::vector<int>& loaded_years, Scratch& scratch) const {
  return group_from_copy(spill_ ? scratch.window.read(*spill_, at) : groups_[at], loaded_years, scratch.copy);
}

std::optional<PersonGroup> DatasetCache::find(const std::string& key, const std::vector<int>& loaded_years) {
  if (!complete_ || !unique_hashes_) return std::nullopt;
  const std::pair<std::uint64_t, std::uint32_t> probe{key_hash(key), 0};
  auto it = std::lower_bound(at_.begin(), at_.end(), probe);
  if (it == at_.end() || it->first != probe.first) return std::nullopt;
  const std::lock_guard<std::mutex> lock(find_mutex_);
  // Moved out, not copied: the caller keeps it, and find() serves only the changed people's derivations.
  PersonGroup group = std::move(decoded(it->second, loaded_years, find_scratch_));
  // A person's group carries its key; another group (a case or advice linked to no one) none.
  const bool person = key.rfind("case:", 0) != 0 && key.rfind("advice:", 0) != 0;
  if (group.person_key != (person ? key : std::string())) return std::nullopt;   // another key of the same hash
  return group;
}

bool DatasetCache::walk_kept(Store& store, const PersonQuery& query, const std::function<void(PersonGroup&)>& visit) {
  std::shared_ptr<const std::vector<std::uint32_t>> order;
  if (query.order_year != order_year_ && !(order = reorder(store, query.order_year))) return false;
  Scratch scratch;
  // In the order the buckets were made for (by key), a whole walk reads each bucket whole; in
  // another (the return's), the window soon finds a bucket behind and reads each group alone.
  scratch.window = WalkSpill::Window(true);
  const std::size_t n = at_.size();
  for (std::size_t i = 0; i < n; ++i) {
    visit(decoded(order ? (*order)[i] : i, query.loaded_years, scratch));
  }
  return true;
}

}  // namespace sendhub
