// store/read_ahead.h: one thread reads ahead, another visits. A walk whose reading is half its
// cost (the first walk of a linked dataset: SQLite's joins into every record table, each group
// encoded and kept as a copy) reads on a thread of its own while the walk's thread visits
// what was read, so the two halves share the machine's cores.
//
// What crosses between the threads is bytes (group_codec.h's encoding, one string a group,
// handed over in batches), or a slot the reader filled and the visitor gives back for the
// reader to fill again (read_ahead_slots): a group as objects is a few hundred small
// allocations, and freeing on one thread what another allocated is what made an earlier
// read-ahead of objects slower than none; a slot's allocations are made once and used again.
#pragma once

#include <algorithm>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace sendhub {

// Hands one item's bytes over to the visiting thread; waits while the batches ahead are full.
using ReadAheadEmit = std::function<void(std::string bytes)>;

// Runs `read` on a new thread, calling `visit` here with each item it emits, in order; returns
// when both are done. What either throws ends both (the reader at its next emit) and is
// rethrown here, the visitor's first. At most `batches` batches of items wait at a time.
void read_ahead(const std::function<void(const ReadAheadEmit&)>& read, const std::function<void(std::string&)>& visit,
                std::size_t batches = 4);

namespace detail {

// Thrown inside the reader to leave a walk the visitor gave up.
struct Stopped {};

// Batches of items from the reader to the visitor, at most `batches` waiting.
template <class Item>
class Handover {
 public:
  explicit Handover(std::size_t batches) : max_(std::max<std::size_t>(batches, 1)) {}

  // The reader's side.
  void put(std::vector<Item>& batch) {
    std::unique_lock<std::mutex> lock(mutex_);
    room_.wait(lock, [&] { return stop_ || queue_.size() < max_; });
    if (stop_) throw Stopped{};
    queue_.push_back(std::move(batch));
    batch.clear();   // moved from: made empty, to be filled again
    ready_.notify_one();
  }
  void finish(std::exception_ptr error) {
    const std::lock_guard<std::mutex> lock(mutex_);
    done_ = true;
    error_ = std::move(error);
    ready_.notify_one();
  }

  // The visitor's side: false when the reader is done and everything was taken.
  bool take(std::vector<Item>& batch) {
    std::unique_lock<std::mutex> lock(mutex_);
    ready_.wait(lock, [&] { return done_ || !queue_.empty(); });
    if (queue_.empty()) return false;
    batch = std::move(queue_.front());
    queue_.pop_front();
    room_.notify_one();
    return true;
  }
  void stop() {
    const std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
    room_.notify_one();
  }
  std::exception_ptr error() {
    const std::lock_guard<std::mutex> lock(mutex_);
    return error_;
  }

 private:
  const std::size_t max_;
  std::mutex mutex_;
  std::condition_variable ready_, room_;
  std::deque<std::vector<Item>> queue_;
  bool done_ = false, stop_ = false;
  std::exception_ptr error_;
};

// What a batch holds before it is handed over: `items` items or `weight` of them (their bytes,
// say), whichever comes first.
struct BatchSize {
  std::size_t batches, items, weight;
};

template <class Item>
void read_ahead_items(const std::function<void(const std::function<void(Item)>&)>& read,
                      const std::function<void(Item&)>& visit, const std::function<std::size_t(const Item&)>& weight,
                      BatchSize size) {
  Handover<Item> handover(size.batches);
  std::thread reader([&] {
    std::exception_ptr error;
    try {
      std::vector<Item> batch;
      std::size_t held = 0;
      read([&](Item item) {
        held += weight(item);
        batch.push_back(std::move(item));
        if (batch.size() < size.items && held < size.weight) return;
        handover.put(batch);
        held = 0;
      });
      if (!batch.empty()) handover.put(batch);
    } catch (const Stopped&) {
    } catch (...) {
      error = std::current_exception();
    }
    handover.finish(error);
  });
  try {
    std::vector<Item> batch;
    while (handover.take(batch))
      for (auto& item : batch) visit(item);
  } catch (...) {
    handover.stop();
    reader.join();
    throw;
  }
  reader.join();
  if (auto error = handover.error()) std::rethrow_exception(error);
}

}  // namespace detail

// Slots the reader fills and the visitor gives back: no more are ever made than are in flight
// at once (the batches waiting, the one being filled, the one being visited).
template <class Slot>
class SlotPool {
 public:
  std::unique_ptr<Slot> take() {
    {
      const std::lock_guard<std::mutex> lock(mutex_);
      if (!free_.empty()) {
        std::unique_ptr<Slot> s = std::move(free_.back());
        free_.pop_back();
        return s;
      }
    }
    return std::make_unique<Slot>();
  }
  void give_back(std::unique_ptr<Slot> s) {
    const std::lock_guard<std::mutex> lock(mutex_);
    free_.push_back(std::move(s));
  }

 private:
  std::mutex mutex_;
  std::vector<std::unique_ptr<Slot>> free_;
};

// As read_ahead, with each item a slot `read` fills (taken from `pool`) and `visit` uses;
// each goes back to the pool once visited. Batches of 16 slots, at most 4 waiting: about a
// hundred slots in all.
template <class Slot>
void read_ahead_slots(SlotPool<Slot>& pool, const std::function<void(const std::function<void(std::unique_ptr<Slot>)>&)>& read,
                      const std::function<void(Slot&)>& visit) {
  using Item = std::unique_ptr<Slot>;
  detail::read_ahead_items<Item>(
      read,
      [&](Item& s) {
        visit(*s);
        pool.give_back(std::move(s));
      },
      [](const Item&) { return std::size_t{1}; }, {4, 16, 16});
}

}  // namespace sendhub
