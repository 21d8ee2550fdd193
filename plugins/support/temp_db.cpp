#include "temp_db.h"

#include <sqlite3.h>

#include "sendhub/error.h"

namespace plugin_support {

TempDb::TempDb(std::string what, const char* schema, int cache_kib) : what_(std::move(what)) {
  try {
    if (sqlite3_open_v2("", &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) != SQLITE_OK) fail("open");
    exec(("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-" + std::to_string(cache_kib)).c_str());
    exec(schema);
  } catch (...) {   // the destructor does not run for a constructor that threw
    sqlite3_close(db_);
    throw;
  }
}

TempDb::~TempDb() { sqlite3_close(db_); }

void TempDb::exec(const char* sql) {
  if (sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) != SQLITE_OK) fail("write");
}

void TempDb::fail(const char* step) const {
  throw sendhub::Error(sendhub::Where{}, "", "io",
                       "cannot keep " + what_ + " in a temporary file (" + step + "): " +
                           (db_ ? sqlite3_errmsg(db_) : "out of memory"));
}

TempDb::Stmt::Stmt(const TempDb& db, const char* sql) {
  if (sqlite3_prepare_v2(db.db(), sql, -1, &stmt_, nullptr) != SQLITE_OK) db.fail("prepare");
}

TempDb::Stmt::~Stmt() { sqlite3_finalize(stmt_); }

void TempDb::Stmt::run(const TempDb& db, std::initializer_list<std::string_view> blobs) {
  sqlite3_reset(stmt_);
  int i = 0;
  // An empty view may have no data: SQLite would bind that as NULL, not as an empty blob.
  for (const std::string_view b : blobs)
    sqlite3_bind_blob(stmt_, ++i, b.data() ? b.data() : "", static_cast<int>(b.size()), SQLITE_STATIC);
  if (sqlite3_step(stmt_) != SQLITE_DONE) db.fail("write");
  sqlite3_reset(stmt_);
}

}  // namespace plugin_support
