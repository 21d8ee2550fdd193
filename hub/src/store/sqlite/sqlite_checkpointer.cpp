#include "store/sqlite/sqlite_checkpointer.h"

#include <malloc.h>

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
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    wake_.wait(lock, [this] { return due_ || stop_; });
    if (stop_) return;
    due_ = false;
    lock.unlock();
    // PASSIVE copies what no reader still needs; what it cannot, the next one (or the close) does.
    // A busy or failed checkpoint loses nothing: the pages stay in the WAL, which readers read.
    sqlite3_wal_checkpoint_v2(own_, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    ::malloc_trim(0);   // this thread's heap (glibc gives it one of its own) back at once: +5-8 MB of peak otherwise
    lock.lock();
  }
}

}  // namespace sendhub::sqlite
