#include "alerts_book.h"

#include <sqlite3.h>

namespace kpi {
namespace {

std::string text(sqlite3_stmt* s, int col) {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(s, col));
  return std::string(p ? p : "", static_cast<std::size_t>(sqlite3_column_bytes(s, col)));
}

}  // namespace

// The table has no index while the walk adds to it: both indexes are built by sorting once
// (seal), which costs far less than keeping them in order row by row.
AlertBook::AlertBook()
    : db_("the alerts",
          "CREATE TABLE added (seq INTEGER PRIMARY KEY, recipient TEXT NOT NULL, key TEXT NOT NULL, "
          "case_ref TEXT NOT NULL, days_left INTEGER NOT NULL, sections INTEGER NOT NULL, alert TEXT NOT NULL); BEGIN",
          8192),
      insert_(db_, "INSERT INTO added (seq, recipient, key, case_ref, days_left, sections, alert) "
                   "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)") {}

void AlertBook::add(const std::string& to, const Alert& a, unsigned sections) {
  if (sealed_) db_.fail("add after reading");
  sqlite3_stmt* s = insert_.get();
  const std::string key = a.key(), row = a.serialise();
  sqlite3_reset(s);
  sqlite3_bind_int64(s, 1, ++seq_);
  sqlite3_bind_text(s, 2, to.data(), static_cast<int>(to.size()), SQLITE_STATIC);
  sqlite3_bind_text(s, 3, key.data(), static_cast<int>(key.size()), SQLITE_STATIC);
  sqlite3_bind_text(s, 4, a.case_ref.data(), static_cast<int>(a.case_ref.size()), SQLITE_STATIC);
  sqlite3_bind_int64(s, 5, a.days_left);
  sqlite3_bind_int(s, 6, static_cast<int>(sections));
  sqlite3_bind_text(s, 7, row.data(), static_cast<int>(row.size()), SQLITE_STATIC);
  if (sqlite3_step(s) != SQLITE_DONE) db_.fail("write");
  sqlite3_reset(s);
}

// The digests' table: one row per (recipient, alert key), the first added (SQLite takes a
// bare column's value from the row min() chose), stored in the order a digest is read, so a
// digest is one sequential scan. Both steps sort (an external merge past the cache) rather
// than keep an index in order row by row or look rows up at random.
void AlertBook::seal() {
  if (sealed_) return;
  sealed_ = true;
  db_.exec("CREATE TABLE digest (recipient TEXT, days_left INTEGER, key TEXT, case_ref TEXT, sections INTEGER, alert TEXT, "
           "PRIMARY KEY (recipient, days_left, key)) WITHOUT ROWID; "
           "INSERT INTO digest SELECT recipient, days_left, key, case_ref, sections, alert FROM "
           "(SELECT recipient, key, case_ref, days_left, sections, alert, min(seq) FROM added GROUP BY recipient, key) "
           "ORDER BY recipient, days_left, key; "
           "DROP TABLE added; COMMIT");
}

std::vector<DigestHead> AlertBook::heads() {
  seal();
  std::vector<DigestHead> out;
  const plugin_support::TempDb::Stmt read(db_, "SELECT recipient, count(*), count(DISTINCT case_ref) FROM digest "
                                               "GROUP BY recipient ORDER BY recipient");
  sqlite3_stmt* s = read.get();
  int rc = SQLITE_ROW;
  while ((rc = sqlite3_step(s)) == SQLITE_ROW) out.push_back({text(s, 0), sqlite3_column_int64(s, 1), sqlite3_column_int64(s, 2)});
  if (rc != SQLITE_DONE) db_.fail("read");
  return out;
}

void AlertBook::each_in_section(const std::string& to, unsigned section_bit, const std::function<void(const Alert&)>& visit) {
  each_where("SELECT alert FROM digest WHERE recipient = ?1 AND (sections & ?2) != 0 ORDER BY days_left, key", to,
             section_bit, visit);
}

void AlertBook::each_of(const std::string& to, const std::function<void(const Alert&)>& visit) {
  each_where("SELECT alert FROM digest WHERE recipient = ?1 AND ?2 = ?2", to, 0, visit);
}

void AlertBook::each_where(const char* sql, const std::string& to, unsigned bits, const std::function<void(const Alert&)>& visit) {
  seal();
  const plugin_support::TempDb::Stmt read(db_, sql);
  sqlite3_stmt* s = read.get();
  sqlite3_bind_text(s, 1, to.data(), static_cast<int>(to.size()), SQLITE_STATIC);
  sqlite3_bind_int(s, 2, static_cast<int>(bits));
  int rc = SQLITE_ROW;
  while ((rc = sqlite3_step(s)) == SQLITE_ROW) visit(Alert::parse(text(s, 0)));
  if (rc != SQLITE_DONE) db_.fail("read");
}

}  // namespace kpi
