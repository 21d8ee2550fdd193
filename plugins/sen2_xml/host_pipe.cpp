#include "host_pipe.h"

#include <thread>

namespace sen2 {
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
  }
  parsing.join();
  if (host_failed) std::rethrow_exception(host_failed);
  if (produced) std::rethrow_exception(produced);
}

void HostPipe::write(std::vector<sendhub::Record>& group, const std::string& raw) {
  queue(Call{Call::Kind::write, std::move(group), std::nullopt, raw});
}

void HostPipe::quarantine(std::vector<sendhub::Record>& group, const sendhub::Error& why, const std::string& raw) {
  queue(Call{Call::Kind::quarantine_group, std::move(group), why, raw});
}

void HostPipe::query(const sendhub::Error& what) { queue(Call{Call::Kind::query, {}, what, {}}); }

void HostPipe::stray(const sendhub::Error& why) { queue(Call{Call::Kind::stray, {}, why, {}}); }

void HostPipe::sync(const std::function<void()>& call) {
  std::exception_ptr thrown;
  Call c{Call::Kind::sync, {}, std::nullopt, {}};
  c.function = &call;
  c.thrown = &thrown;
  queue(std::move(c));
  flush();
  {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return synced_ || stopped_; });
    if (!synced_) throw Stopped{};
    synced_ = false;
  }
  if (thrown) std::rethrow_exception(thrown);
}

void HostPipe::queue(Call call) {
  batch_.push_back(std::move(call));
  if (batch_.size() >= kBatch) flush();
}

void HostPipe::flush() {
  if (batch_.empty()) return;
  std::deque<std::vector<Call>> spent;
  {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return queued_.size() < kQueued || stopped_; });
    if (stopped_) throw Stopped{};
    queued_.push_back(std::move(batch_));
    spent.swap(spent_);
    changed_.notify_all();
  }
  batch_ = {};
}   // the spent batches are freed here, on the thread that allocated them: glibc frees
    // another thread's memory under a lock, which cost the host thread a third of its time

bool HostPipe::take(std::vector<Call>& batch) {
  std::unique_lock lock(mutex_);
  if (!batch.empty()) spent_.push_back(std::move(batch));
  batch.clear();
  changed_.wait(lock, [&] { return !queued_.empty() || ended_; });
  if (queued_.empty()) return false;
  batch = std::move(queued_.front());
  queued_.pop_front();
  changed_.notify_all();
  return true;
}

void HostPipe::make(Call& call) {
  switch (call.kind) {
    case Call::Kind::write: ctx_.write(call.records, call.raw); return;
    case Call::Kind::quarantine_group: ctx_.quarantine(call.records, *call.error, call.raw); return;
    case Call::Kind::query: ctx_.query(*call.error); return;
    case Call::Kind::stray: ctx_.quarantine(*call.error, ""); return;
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

}  // namespace sen2
