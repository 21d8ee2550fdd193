#include "store/sqlite/sqlite_checkpointer.h"

#include <malloc.h>

#include <algorithm>
#include <chrono>

#include "store/sqlite/sqlite_db.h"

namespace sendhub::sqlite {

Checkpointer::Checkpointer(Db& db) : db_(db) {
  db_.exec("PRAGMA synchronous=NORMAL");
  // Its own connection, used on its thread only. Without one (the file cannot be opened a
  // second time), SQLite's automatic checkpoints simply stay on.
  // It reads the file once, or it would not know the file is in WAL mode and checkpoint nothing;
  // a checkpoint copies frames without the page cache, so it keeps a small one.
  if (sqlite3_open_v2(db.path().c_str(), &own_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr) != SQLITE_OK ||
      sqlite3_exec(own_, "PRAGMA cache_size=16; SELECT COUNT(*) FROM sqlite_master", nullptr, nullptr, nullptr) != SQLITE_OK) {
    sqlite3_close(own_);
    own_ = nullptr;
    return;
  }
  thread_ = std::thread([this] { loop(); });
  sqlite3_wal_hook(db_.handle(), &Checkpointer::on_commit, this);   // replaces the automatic checkpoint
}

void Checkpointer::sync_each_commit() { db_.exec("PRAGMA synchronous=FULL"); }

Checkpointer::~Checkpointer() {
  sqlite3_exec(db_.handle(), "PRAGMA synchronous=FULL", nullptr, nullptr, nullptr);   // cannot fail on an open connection
  if (!own_) return;
  sqlite3_wal_autocheckpoint(db_.handle(), kPages);   // the hook off, SQLite's own back on
  {
    const std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  wake_.notify_one();
  thread_.join();
  sqlite3_close_v2(own_);
}

// On the committing thread, with the WAL's length in pages: ask for a checkpoint, wait for none.
int Checkpointer::on_commit(void* self, sqlite3* /*db*/, const char* /*name*/, int pages) {
  if (pages < kPages) return SQLITE_OK;
  auto* c = static_cast<Checkpointer*>(self);
  {
    const std::lock_guard<std::mutex> lock(c->mutex_);
    c->due_ = true;
  }
  c->wake_.notify_one();
  return SQLITE_OK;
}

void Checkpointer::loop() {
  using std::chrono::milliseconds;
  constexpr milliseconds kFirstRetry{20}, kLastRetry{1000};
  milliseconds retry{0};   // 0: all copied, wait for the next commit
  auto woken = [this] { return due_ || stop_; };
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    if (retry.count() == 0) wake_.wait(lock, woken);
    else wake_.wait_for(lock, retry, woken);
    if (stop_) return;
    due_ = false;
    lock.unlock();
    // PASSIVE copies what no reader still needs and never waits. What a reader's older snapshot
    // (or a lock of the moment) held back is tried again soon, then less often, until all is
    // copied: else a large last commit could sit in the WAL until the store closed (1 of 30 of
    // checkpointer_test's runs copied 2 frames of 2,510). A failed checkpoint loses nothing: the
    // pages stay in the WAL, which readers read.
    int frames = 0, copied = 0;
    const int rc = sqlite3_wal_checkpoint_v2(own_, nullptr, SQLITE_CHECKPOINT_PASSIVE, &frames, &copied);
    const bool left = (rc == SQLITE_OK || rc == SQLITE_BUSY) && copied < frames;
    const bool first = retry.count() == 0;
    retry = !left ? milliseconds{0} : first ? kFirstRetry : std::min(retry * 2, kLastRetry);
    // This thread's heap (glibc gives it one of its own) back at once: +5-8 MB of peak
    // otherwise. Once a commit, and when all is copied: not on every try again.
    if (first || !left) ::malloc_trim(0);
    lock.lock();
  }
}

}  // namespace sendhub::sqlite
