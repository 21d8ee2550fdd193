#include "seen_set.h"

#include <sqlite3.h>

#include <string>

#include "sendhub/error.h"

namespace plugin_support {

SeenSet::SeenSet() {
  try {
    // "": private and temporary, in memory up to its cache and then in a file removed when closed.
    if (sqlite3_open_v2("", &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) != SQLITE_OK) fail("open");
    if (sqlite3_exec(db_, "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-16384; "
                          "CREATE TABLE seen (v BLOB PRIMARY KEY) WITHOUT ROWID; BEGIN",
                     nullptr, nullptr, nullptr) != SQLITE_OK)
      fail("create");
    if (sqlite3_prepare_v2(db_, "INSERT OR IGNORE INTO seen (v) VALUES (?1)", -1, &insert_, nullptr) != SQLITE_OK)
      fail("prepare");
  } catch (...) {   // the destructor does not run for a constructor that threw
    sqlite3_finalize(insert_);
    sqlite3_close(db_);
    throw;
  }
}

SeenSet::~SeenSet() {
  sqlite3_finalize(insert_);
  sqlite3_close(db_);
}

void SeenSet::fail(const char* what) const {
  throw sendhub::Error(sendhub::Where{}, "", "io",
                       std::string("cannot keep the values seen in a temporary file (") + what +
                           "): " + (db_ ? sqlite3_errmsg(db_) : "out of memory"));
}

bool SeenSet::insert(std::string_view value) {
  sqlite3_reset(insert_);
  sqlite3_bind_blob(insert_, 1, value.data(), static_cast<int>(value.size()), SQLITE_STATIC);
  if (sqlite3_step(insert_) != SQLITE_DONE) fail("write");
  sqlite3_reset(insert_);
  return sqlite3_changes(db_) > 0;
}

}  // namespace plugin_support
