// temp_db.h: a private temporary SQLite database, the one way the connectors keep what would
// otherwise grow with the data (a sorted list, the values a rule has seen, a run's alerts).
// Opened with the name "" it lives in memory up to its cache and then in a file SQLite
// removes at once (SQLITE_TMPDIR, else TMPDIR, else /var/tmp or /tmp; 0600 under sendhub's
// umask), so it is never a named or shared file. No journal, no fsync: it dies with the run.
// Compiled into the connectors that need it (only SQLite's C API).
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace plugin_support {

class TempDb {
 public:
  // what names it in errors ("the alerts"); schema: statements run after opening (a BEGIN
  // at its end keeps every write in one transaction); cache_kib: its page cache.
  TempDb(std::string what, const char* schema, int cache_kib);
  ~TempDb();
  TempDb(const TempDb&) = delete;
  TempDb& operator=(const TempDb&) = delete;

  sqlite3* db() const { return db_; }
  void exec(const char* sql);
  // Throws sendhub::Error (rule io): "cannot keep <what> in a temporary file (<step>): <why>".
  [[noreturn]] void fail(const char* step) const;

  // A prepared statement, finalized when it goes.
  class Stmt {
   public:
    Stmt(const TempDb& db, const char* sql);
    ~Stmt();
    Stmt(const Stmt&) = delete;
    Stmt& operator=(const Stmt&) = delete;
    sqlite3_stmt* get() const { return stmt_; }
    // Binds `blobs` to ?1, ?2... (not copied: they live until it returns) and runs it; a step
    // that is not done fails with `db`'s error (rule io).
    void run(const TempDb& db, std::initializer_list<std::string_view> blobs);

   private:
    sqlite3_stmt* stmt_ = nullptr;
  };

 private:
  std::string what_;
  sqlite3* db_ = nullptr;
};

}  // namespace plugin_support
