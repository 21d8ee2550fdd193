#include "sorted_spill.h"

#include <sqlite3.h>

namespace plugin_support {

SortedSpill::SortedSpill()
    : db_("a sorted list", "CREATE TABLE spill (seq INTEGER PRIMARY KEY, k BLOB NOT NULL, v BLOB NOT NULL); BEGIN", 4096),
      insert_(db_, "INSERT INTO spill (k, v) VALUES (?1, ?2)") {}

void SortedSpill::add(std::string_view key, std::string_view row) {
  sqlite3_stmt* s = insert_.get();
  sqlite3_reset(s);
  sqlite3_bind_blob(s, 1, key.data(), static_cast<int>(key.size()), SQLITE_STATIC);
  sqlite3_bind_blob(s, 2, row.data(), static_cast<int>(row.size()), SQLITE_STATIC);
  if (sqlite3_step(s) != SQLITE_DONE) db_.fail("write");
  sqlite3_reset(s);
  ++size_;
}

void SortedSpill::each(const std::function<void(std::string_view key, std::string_view row)>& visit) const {
  const TempDb::Stmt read(db_, "SELECT k, v FROM spill ORDER BY k, seq");
  sqlite3_stmt* s = read.get();
  const auto text = [s](int col) {
    const auto* p = static_cast<const char*>(sqlite3_column_blob(s, col));
    return std::string_view(p ? p : "", static_cast<std::size_t>(sqlite3_column_bytes(s, col)));
  };
  int rc = SQLITE_ROW;
  while ((rc = sqlite3_step(s)) == SQLITE_ROW) visit(text(0), text(1));
  if (rc != SQLITE_DONE) db_.fail("read");
}

}  // namespace plugin_support
