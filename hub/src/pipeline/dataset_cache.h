// pipeline/dataset_cache.h: the dataset walked once per run, not once per sink (issue 30.2 and
// 30.4). The first sink's walk reads the store group by group, as always, and keeps a copy of
// each group as sinks see it (merged by precedence, with the records of every return year it
// can give as a loaded return) as compact bytes (group_codec.h, about a fifth of the objects'
// size): a later walk neither merges again nor reads what no sink sees. While the copies fit the memory budget they stay in
// memory; past it they go to a private temporary file (walk_spill.h) and the rest of the walk
// follows them there, so memory stays flat at any size. Every later walk, whatever its query, is
// made from the copies: in the same order, or in the order the store gives for its query
// (each_group_key: one indexed query, no records read). Only when the temporary file cannot be
// written are the copies dropped, and walks stream from the store as before. A budget of 0
// always streams.
//
// The first walk reads ahead (issue 30): a thread of its own takes each group's copy from the
// store (Store::each_copy: a file store keeps them between runs, so after a night's change only
// the changed groups are read from the record tables, merged and encoded), while the walk's
// thread decodes the copies and visits them, so the two halves share the machine's cores (only
// bytes cross, as in store/read_ahead.h), unless the store reads that walk ahead itself
// (Store::reads_ahead: a first walk that makes every copy). The
// store's connection is that thread's while it reads: store_gate() is held by whoever uses it
// (the reading thread between groups; a sink's context for the store calls a visitor may make).
//
// Once the copies hold a whole walk, the sinks after the first may walk them side by side
// (pipeline/run.cpp): the copies are then only read, each walk with buffers of its own, and a walk
// they cannot serve holds the store's connection from start to end.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <atomic>
#include <memory>
#include <mutex>
#include <thread>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "config/hub_config.h"
#include "store/group_codec.h"
#include "pipeline/resolved_dataset.h"
#include "pipeline/walk_spill.h"
#include "sendhub/plugin.h"
#include "store/store.h"

namespace sendhub {

// The store's connection during a walk that reads ahead (see above): one thread at a time holds
// it, and the one holding it may take it again (a visitor's call into the store may walk).
class StoreGate {
 public:
  void lock() {
    mutex_.lock();
    if (depth_++ == 0) owner_.store(std::this_thread::get_id());
  }
  void unlock() {
    if (--depth_ == 0) owner_.store(std::thread::id());
    mutex_.unlock();
  }
  // Whether this thread holds it: a walk started then cannot hand the store to another thread.
  bool held_here() const { return owner_.load() == std::this_thread::get_id(); }

  // A hold let go for a while (while a visitor runs), and taken again however that ends.
  class Released {
   public:
    explicit Released(std::unique_lock<StoreGate>& held) : held_(held.owns_lock() ? &held : nullptr) {
      if (held_) held_->unlock();
    }
    ~Released() {
      if (held_) held_->lock();
    }
    Released(const Released&) = delete;
    Released& operator=(const Released&) = delete;

   private:
    std::unique_lock<StoreGate>* held_;
  };

 private:
  std::recursive_mutex mutex_;
  int depth_ = 0;   // guarded by mutex_
  std::atomic<std::thread::id> owner_{};
};

// The spill's buckets (walk_spill.h): past the budget each group goes to the bucket of its key's
// place in the order every later walk asks (order_year 0: by key, byte by byte), so that those
// walks read a bucket whole where each group was a read of its own. 1,024 of them: a bucket of a
// quarter of a megabyte at 100,000 children, 3 MB at 1,000,000.
inline constexpr std::uint32_t kSpillBuckets = 1024;
// A key's bucket, below kSpillBuckets, never lower than that of a key before it in byte order.
std::uint32_t key_bucket(std::string_view key);

class DatasetCache {
 public:
  explicit DatasetCache(std::size_t budget_bytes) : budget_(budget_bytes) {}
  // As each_person_group: the groups of `query` in order, each a fresh copy the visitor may change.
  void each(const HubConfig& cfg, Store& store, const PersonQuery& query, const std::function<void(PersonGroup&)>& visit);
  // The kept group of `key` as each() would give it for `loaded_years`, when the copies hold a
  // whole walk (else nothing: the caller reads the store).
  std::optional<PersonGroup> find(const std::string& key, const std::vector<int>& loaded_years);
  std::size_t bytes() const { return bytes_; }                                    // held in memory
  std::uint64_t spilled_bytes() const { return spill_ ? spill_->bytes() : 0; }   // in the temporary file
  // What a whole walk's copies took, memory and file (0 until the copies hold one): a run keeps
  // it for the next, which passes it to expect().
  std::uint64_t whole_bytes() const { return complete_ ? bytes_ + spilled_bytes() + at_.size() * sizeof(at_[0]) : 0; }
  // The last run's whole_bytes(): past the budget, the copies go to the temporary file from the
  // first group on. Filling the budget first and then leaving it held it to the end of the first
  // walk for nothing: at 100,000 children (259 MB of copies, a budget of 256 MB) the night's peak
  // was 380 MB against 221 MB, its time the same within the noise.
  void expect(std::uint64_t last_whole_bytes) { straight_to_file_ = budget_ > 0 && last_whole_bytes > budget_; }
  bool straight_to_file() const { return straight_to_file_; }
  // Whether the copies hold a whole walk: every later walk may then run beside another.
  bool whole() const { return complete_; }
  // Works out now the places of the copies in the store's order for order_year, which a later
  // walk asking for it would otherwise work out from the store: beside another sink holding the
  // store (a first run's kept parts), it would wait for it.
  void prepare(Store& store, int order_year) {
    if (complete_ && order_year != order_year_) reorder(store, order_year);
  }
  // Why the copies were given up (the temporary file failed), or "".
  const std::string& dropped() const { return dropped_; }
  // How many walks the store served and how many the copies did (for the run log and tests).
  int store_walks() const { return store_walks_; }
  int cached_walks() const { return cached_walks_; }
  // Held while the store is used during a walk (see above).
  StoreGate& store_gate() { return store_gate_; }
  // The share of the first walk's groups whose copies this run made (the store kept the others
  // from an earlier run): about the share of people changed since then, which is what a sink
  // keeping parts derives again. 1 until the copies hold a whole walk.
  double made_share() const {
    return complete_ && !at_.empty() ? std::min(1.0, static_cast<double>(made_.load()) / static_cast<double>(at_.size())) : 1.0;
  }

 private:
  void walk_store(const HubConfig& cfg, Store& store, const PersonQuery& query, const std::function<void(PersonGroup&)>& visit);
  void walk_ahead(const CopyMaker& maker, Store& store, const PersonQuery& query, bool keeping,
                  const std::function<void(PersonGroup&)>& visit);
  // A walk's own buffers: walks may run side by side once the copies are whole.
  struct Scratch {
    WalkSpill::Window window{false};   // spilled groups read back (one at a time unless a walk says)
    CopyScratch copy;                  // the group visited, decoded again into for the next
  };
  // The group decoded into scratch.copy.group, valid until the scratch's next decode.
  PersonGroup& decoded(std::size_t at, const std::vector<int>& loaded_years, Scratch& scratch) const;
  std::shared_ptr<const std::vector<std::uint32_t>> reorder(Store& store, int order_year);
  bool walk_kept(Store& store, const PersonQuery& query, const std::function<void(PersonGroup&)>& visit);
  void keep(std::uint64_t key_hash, std::uint32_t bucket, std::string_view bytes);
  void spill_out();
  bool complete();
  bool order_for(Store& store, int order_year, std::vector<std::uint32_t>& order);
  void drop(const std::string& why);

  std::size_t budget_;
  std::size_t bytes_ = 0;
  bool over_ = false;       // the copies were given up: no more this run
  bool straight_to_file_ = false;   // expect(): the copies will not fit, none is held in memory
  bool complete_ = false;   // the copies hold a whole walk
  bool unique_hashes_ = true;
  int order_year_ = 0;      // the order they were kept in
  // The places in the last other order asked (4 bytes a group): the sinks after the first
  // mostly ask the same one, which the store would otherwise sort out again for each. A walk
  // holds on to the places it was given while another asks for another order.
  std::mutex reorder_mutex_;
  int reorder_year_ = -1;                                    // guarded by reorder_mutex_
  std::shared_ptr<const std::vector<std::uint32_t>> reorder_; // guarded by reorder_mutex_
  std::string dropped_;
  std::vector<std::string> groups_;     // each group as bytes, in that order, while in memory
  std::vector<std::uint16_t> held_buckets_;   // and the bucket each goes to if they spill
  std::unique_ptr<WalkSpill> spill_;    // past the budget: all of them, in the same order
  // A hash of each group's key and its place, sorted once the walk is whole: 16 bytes a group
  // where the keys themselves would take a hundred. Sinks change no record or link between
  // walks, so the store's keys are the kept ones; were two kept keys to share a hash, or the
  // store to give a key with no kept group, walks in another order stream from the store.
  std::vector<std::pair<std::uint64_t, std::uint32_t>> at_;
  std::atomic<int> store_walks_{0}, cached_walks_{0};
  std::atomic<std::uint64_t> made_{0};   // copies the first walk made (on the store's reading thread too)
  StoreGate store_gate_;
  Scratch first_walk_;   // the first walk's (on the walk's thread), used again group after group
  std::mutex find_mutex_;
  Scratch find_scratch_;  // find()'s, guarded by find_mutex_
};

}  // namespace sendhub
