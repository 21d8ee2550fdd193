#include "sorted_spill.h"

#include <sqlite3.h>

#include <string>

#include "sendhub/error.h"

namespace plugin_support {

SortedSpill::SortedSpill() {
  try {
    // "": a private temporary database, in memory up to its cache and then in a file that is
    // removed when closed; it holds record references, so never a named or shared file.
    if (sqlite3_open_v2("", &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) != SQLITE_OK) fail("open");
    if (sqlite3_exec(db_, "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-4096; "
                          "CREATE TABLE spill (seq INTEGER PRIMARY KEY, k BLOB NOT NULL, v BLOB NOT NULL); BEGIN",
                     nullptr, nullptr, nullptr) != SQLITE_OK)
      fail("create");
    if (sqlite3_prepare_v2(db_, "INSERT INTO spill (k, v) VALUES (?1, ?2)", -1, &insert_, nullptr) != SQLITE_OK)
      fail("prepare");
  } catch (...) {   // the destructor does not run for a constructor that threw
    sqlite3_finalize(insert_);
    sqlite3_close(db_);
    throw;
  }
}

SortedSpill::~SortedSpill() {
  sqlite3_finalize(insert_);
  sqlite3_close(db_);
}

void SortedSpill::fail(const char* what) const {
  throw sendhub::Error(sendhub::Where{}, "", "io",
                       std::string("cannot keep a sorted list in a temporary file (") + what +
                           "): " + (db_ ? sqlite3_errmsg(db_) : "out of memory"));
}

void SortedSpill::add(std::string_view key, std::string_view row) {
  sqlite3_reset(insert_);
  sqlite3_bind_blob(insert_, 1, key.data(), static_cast<int>(key.size()), SQLITE_STATIC);
  sqlite3_bind_blob(insert_, 2, row.data(), static_cast<int>(row.size()), SQLITE_STATIC);
  if (sqlite3_step(insert_) != SQLITE_DONE) fail("write");
  sqlite3_reset(insert_);
  ++size_;
}

void SortedSpill::each(const std::function<void(std::string_view key, std::string_view row)>& visit) const {
  sqlite3_stmt* read = nullptr;
  if (sqlite3_prepare_v2(db_, "SELECT k, v FROM spill ORDER BY k, seq", -1, &read, nullptr) != SQLITE_OK) fail("read");
  const auto text = [read](int col) {
    const auto* p = static_cast<const char*>(sqlite3_column_blob(read, col));
    return std::string_view(p ? p : "", static_cast<std::size_t>(sqlite3_column_bytes(read, col)));
  };
  int rc = SQLITE_ROW;
  try {
    while ((rc = sqlite3_step(read)) == SQLITE_ROW) visit(text(0), text(1));
  } catch (...) {
    sqlite3_finalize(read);
    throw;
  }
  sqlite3_finalize(read);
  if (rc != SQLITE_DONE) fail("read");
}

}  // namespace plugin_support
