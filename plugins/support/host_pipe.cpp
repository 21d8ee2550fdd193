#include "host_pipe.h"

#include <string_view>
#include <thread>

namespace plugin_support {
namespace {

constexpr std::size_t kBatch = 64;    // calls handed over at once: one lock per 64 Persons
constexpr std::size_t kQueued = 4;    // batches waiting at most: parsing runs that far ahead

}  // namespace

void HostPipe::run(const std::function<void(HostPipe&)>& produce) {
  std::exception_ptr produced, host_failed;
  std::thread parsing([&] {
    try {
      produce(*this);
      flush();
    } catch (const Stopped&) {
    } catch (...) {
      produced = std::current_exception();
      try {
        flush();   // what was read before the failure still goes to the host
      } catch (const Stopped&) {
      }
    }
    std::lock_guard lock(mutex_);
    ended_ = true;
    changed_.notify_all();
  });
  std::vector<Call> batch;
  while (take(batch)) {
    for (auto& call : batch) {
      if (host_failed) break;
      try {
        make(call);
      } catch (...) {
        host_failed = std::current_exception();
        std::lock_guard lock(mutex_);
        stopped_ = true;
        changed_.notify_all();
      }
    }
    if (!host_failed) reset_while_idle(batch);
  }
  parsing.join();
  if (host_failed) std::rethrow_exception(host_failed);
  if (produced) std::rethrow_exception(produced);
}

// Swapped, not copied: the caller is left with a spent call's empty vector and string,
// which keep their capacity.
void HostPipe::write(std::vector<sendhub::Record>& group, std::string& raw) {
  Call& c = next(Call::Kind::write);
  c.records.swap(group);
  c.raw.swap(raw);
}

void HostPipe::quarantine(std::vector<sendhub::Record>& group, const sendhub::Error& why, std::string& raw) {
  Call& c = next(Call::Kind::quarantine_group);
  c.records.swap(group);
  c.error = why;
  c.raw.swap(raw);
}

void HostPipe::query(const sendhub::Error& what) { next(Call::Kind::query).error = what; }

void HostPipe::stray(const sendhub::Error& why) { next(Call::Kind::stray).error = why; }

void HostPipe::unmapped(std::string_view field, std::string_view value) {
  Call& c = next(Call::Kind::unmapped);
  c.field.assign(field);
  c.raw.assign(value);
}

void HostPipe::sync(const std::function<void()>& call) {
  std::exception_ptr thrown;
  Call& c = next(Call::Kind::sync);
  c.function = &call;
  c.thrown = &thrown;
  flush();
  {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return synced_ || stopped_; });
    if (!synced_) throw Stopped{};
    synced_ = false;
  }
  if (thrown) std::rethrow_exception(thrown);
}

HostPipe::Call& HostPipe::next(Call::Kind kind) {
  if (used_ == kBatch) flush();
  if (used_ == batch_.size()) batch_.emplace_back();
  Call& c = batch_[used_++];
  c.kind = kind;
  c.error.reset();
  c.raw.clear();
  c.function = nullptr;
  c.thrown = nullptr;
  c.reset = false;
  return c;
}

void HostPipe::flush() {
  if (used_ == 0) return;
  batch_.resize(used_);
  std::deque<std::vector<Call>> spent;
  {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return queued_.size() < kQueued || stopped_; });
    if (stopped_) throw Stopped{};
    queued_.push_back(std::move(batch_));
    queued_count_.store(queued_.size(), std::memory_order_relaxed);
    spent.swap(spent_);
    changed_.notify_all();
  }
  batch_ = {};
  used_ = 0;
  reuse(spent);
}

// The spent batches stay on the thread that allocated them, to be filled again: glibc
// frees another thread's memory under a lock (that cost the host thread a third of its
// time), and allocating afresh cost this thread as much.
void HostPipe::reuse(std::deque<std::vector<Call>>& spent) {
  for (auto& batch : spent) {
    for (auto& call : batch) pool_.give_back(call.records, call.reset);
    free_.push_back(std::move(batch));
  }
  if (!free_.empty()) {
    batch_ = std::move(free_.back());
    free_.pop_back();
  }
}

// Resetting a record costs the parsing thread a cache miss on each of its blocks, which this
// thread touched last; here they are still in the cache. So while nothing is queued (parsing
// sets the pace: `validate`), this thread resets the spent calls' records, one call at a time,
// and parsing takes them blank. It stops as soon as a batch is queued: where the host sets the
// pace (storing the records), the time is the run's, and parsing resets them as before.
void HostPipe::reset_while_idle(std::vector<Call>& batch) {
  for (auto& call : batch) {
    if (call.records.empty()) continue;   // a query, a sync: nothing to reset
    if (queued_count_.load(std::memory_order_relaxed) != 0) return;
    for (auto& r : call.records) host_blanks_.reset(r);
    call.reset = true;
    ++host_reset_calls_;
  }
}

bool HostPipe::take(std::vector<Call>& batch) {
  std::unique_lock lock(mutex_);
  if (!batch.empty()) spent_.push_back(std::move(batch));
  batch.clear();
  changed_.wait(lock, [&] { return !queued_.empty() || ended_; });
  if (queued_.empty()) return false;
  batch = std::move(queued_.front());
  queued_.pop_front();
  queued_count_.store(queued_.size(), std::memory_order_relaxed);
  changed_.notify_all();
  return true;
}

void HostPipe::make(Call& call) {
  switch (call.kind) {
    case Call::Kind::write: ctx_.write(call.records, call.raw); return;
    case Call::Kind::quarantine_group: ctx_.quarantine(call.records, *call.error, call.raw); return;
    case Call::Kind::query: ctx_.query(*call.error); return;
    case Call::Kind::stray: ctx_.quarantine(*call.error, ""); return;
    case Call::Kind::unmapped: ctx_.unmapped(call.field, call.raw); return;
    case Call::Kind::sync: break;
  }
  try {
    (*call.function)();
  } catch (...) {
    *call.thrown = std::current_exception();   // the parsing side's to handle, as if it had thrown there
  }
  std::lock_guard lock(mutex_);
  synced_ = true;
  changed_.notify_all();
}

}  // namespace plugin_support
