// pipeline/run_lock.h: one run at a time per store. An flock on "<store>.lock": the
// kernel drops it when the process dies, so a crashed run never blocks the next one.
#pragma once

#include <string>

namespace sendhub {

class RunLock {
 public:
  // Returns false (and holds nothing) when another process holds the lock.
  bool try_acquire(const std::string& store_path);
  ~RunLock();
  RunLock() = default;
  RunLock(const RunLock&) = delete;
  RunLock& operator=(const RunLock&) = delete;

 private:
  int fd_ = -1;
};

}  // namespace sendhub
