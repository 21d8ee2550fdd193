// store/sqlite/sqlite_checkpointer.h: the store's WAL copied back into the database file on a
// thread of its own. SQLite checkpoints on the committing thread once the WAL passes 1,000 pages:
// a night's change at 100,000 children spent 1.7-2.1 s in each of two commits (the CMS people
// stored, the links saved), copying and syncing pages while nothing else could go on. Here the
// commit only says how long the WAL has grown; a connection of the checkpointer's own then copies
// it back (PASSIVE: it never waits for, nor holds up, a reader or the writer) while the run goes on.
// The last connection to close checkpoints what is left, as SQLite always does.
//
// Meanwhile the run's commits are not synced one by one (synchronous=NORMAL): in WAL mode a
// commit stays atomic and the file whole, but a power cut may lose the last commits, which a run
// redoes. Each sync had to wait behind the checkpoint's writes to the disk (0.7-1.2 s for a stage
// that stored nothing). The run's last commit is synced (sync_each_commit), and with the WAL every
// commit before it; so is every commit once this ends, and every checkpoint.
#pragma once

#include <sqlite3.h>

#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

namespace sendhub::sqlite {

class Db;

class Checkpointer {
 public:
  // `db` is the store's connection (in WAL mode); its automatic checkpoints stop until this ends.
  explicit Checkpointer(Db& db);
  ~Checkpointer();   // before `db` closes: its commits checkpoint on their own again
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

  // From now on every commit is synced (FULL), as outside a run: the run's last commit.
  void sync_each_commit();

  // SQLite's own threshold (pages in the WAL) for a checkpoint.
  static constexpr int kPages = 1000;

 private:
  static int on_commit(void* self, sqlite3* db, const char* name, int pages);
  void loop();

  Db& db_;
  sqlite3* own_ = nullptr;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool due_ = false, stop_ = false;
  std::thread thread_;
};

}  // namespace sendhub::sqlite
