#include "seen_set.h"

#include <sqlite3.h>

namespace plugin_support {

SeenSet::SeenSet()
    : db_("the values seen", "CREATE TABLE seen (v BLOB PRIMARY KEY) WITHOUT ROWID; BEGIN", 16384),
      insert_(db_, "INSERT OR IGNORE INTO seen (v) VALUES (?1)") {}

bool SeenSet::insert(std::string_view value) {
  sqlite3_stmt* s = insert_.get();
  sqlite3_reset(s);
  sqlite3_bind_blob(s, 1, value.data(), static_cast<int>(value.size()), SQLITE_STATIC);
  if (sqlite3_step(s) != SQLITE_DONE) db_.fail("write");
  sqlite3_reset(s);
  return sqlite3_changes(db_.db()) > 0;
}

}  // namespace plugin_support
