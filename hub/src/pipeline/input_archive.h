// pipeline/input_archive.h: raw input is kept. Every file a source reads is copied,
// 0600, into the archive under its SHA-256, so the same file read every night is
// stored once; copies not read again within the retention period are deleted. The
// archive folder must be the hub's own (not group- or world-writable), copies are
// created O_EXCL|O_NOFOLLOW, and retention deletes only what the store's manifest lists.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "store/store.h"

namespace sendhub {

// Copies the archive lacks, made beside the reading and waited for before the source's
// transaction commits: a new file's copy and its fsync (17 ms of a council's 13 MB return) no
// longer come before its first record is read. One copy for each archive name, made one at a
// time on one thread of their own, in the order started: a thread for each copy started 27,946
// threads, one after another, for a national FHIR feed read from files (a file a page), and that
// source took 142 s against 111 s so. At most kQueued copies wait: the reading waits for room
// beyond that, so memory stays flat whatever the number of files.
class ArchiveCopies {
 public:
  static constexpr std::size_t kQueued = 64;
  ArchiveCopies() = default;
  ~ArchiveCopies();   // copies not begun are dropped (the source failed); the one under way ends
  ArchiveCopies(const ArchiveCopies&) = delete;
  ArchiveCopies& operator=(const ArchiveCopies&) = delete;

  // Queues `copy`, unless a copy to `target` was started already.
  void start(const std::string& target, std::function<void()> copy);
  // Waits for every copy started; rethrows the first that failed.
  void wait();

 private:
  void work();

  std::set<std::string> targets_;   // the starting thread's only
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::function<void()>> queue_;
  bool busy_ = false, closing_ = false;
  std::exception_ptr failed_;
  std::thread worker_;
};

// Hashes the file and keeps its copy, unless `known` (what the store noted for it when its stat
// was what it is now) gives its hash: then the file is not read, and only its copy is made sure
// of (copied again if retention deleted it). With `beside`, a copy to make is started there and
// the returned InputFile names where it will be once beside->wait() returns.
InputFile archive_input(const std::string& file, const std::string& archive_dir,
                        const std::optional<InputFile>& known = std::nullopt, ArchiveCopies* beside = nullptr);

// The file's size, modification and change times (ns), device and inode, as one string; "" when
// it changed within the last two seconds, or is dated ahead of the clock: a file system's clock
// may be that coarse, and a write in the same tick would leave the stat as it was. As git does
// with its index ("racy" entries): trusted only once it is older than any write that could hide.
// `now` is the clock's time in seconds (tests move it).
std::string input_stat(const std::string& file, std::int64_t now = -1);

// Deletes the hub's archived copies (the manifest) last read more than `days` days ago;
// returns how many. Nothing else in the folder is touched.
int prune_archive(Store& store, int days);

}  // namespace sendhub
