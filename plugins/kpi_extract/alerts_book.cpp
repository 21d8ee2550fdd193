#include "alerts_book.h"

#include <sqlite3.h>

#include "sendhub/error.h"

namespace kpi {
namespace {

sqlite3_stmt* stmt(void* p) { return static_cast<sqlite3_stmt*>(p); }

std::string text(sqlite3_stmt* s, int col) {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(s, col));
  return std::string(p ? p : "", static_cast<std::size_t>(sqlite3_column_bytes(s, col)));
}

}  // namespace

AlertBook::AlertBook() {
  try {
    // "": private and temporary, in memory up to its cache, then in a file removed when closed.
    if (sqlite3_open_v2("", &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) != SQLITE_OK) fail("open");
    // The table has no index while the walk adds to it: both indexes are built by sorting
    // once, which costs far less than keeping them in order row by row.
    exec("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-8192; "
         "CREATE TABLE added (seq INTEGER PRIMARY KEY, recipient TEXT NOT NULL, key TEXT NOT NULL, "
         "case_ref TEXT NOT NULL, days_left INTEGER NOT NULL, sections INTEGER NOT NULL, alert TEXT NOT NULL); BEGIN");
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(db_, "INSERT INTO added (seq, recipient, key, case_ref, days_left, sections, alert) "
                                "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", -1, &s, nullptr) != SQLITE_OK)
      fail("prepare");
    insert_ = s;
  } catch (...) {   // the destructor does not run for a constructor that threw
    sqlite3_close(db_);
    throw;
  }
}

AlertBook::~AlertBook() {
  sqlite3_finalize(stmt(insert_));
  sqlite3_close(db_);
}

void AlertBook::fail(const char* what) const {
  throw sendhub::Error(sendhub::Where{}, "", "io",
                       std::string("cannot keep the alerts in a temporary file (") + what +
                           "): " + (db_ ? sqlite3_errmsg(db_) : "out of memory"));
}

void AlertBook::exec(const char* sql) {
  if (sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) != SQLITE_OK) fail("write");
}

void AlertBook::add(const std::string& to, const Alert& a, unsigned sections) {
  if (sealed_) fail("add after reading");
  sqlite3_stmt* s = stmt(insert_);
  const std::string key = a.key(), row = a.serialise();
  sqlite3_reset(s);
  sqlite3_bind_int64(s, 1, ++seq_);
  sqlite3_bind_text(s, 2, to.data(), static_cast<int>(to.size()), SQLITE_STATIC);
  sqlite3_bind_text(s, 3, key.data(), static_cast<int>(key.size()), SQLITE_STATIC);
  sqlite3_bind_text(s, 4, a.case_ref.data(), static_cast<int>(a.case_ref.size()), SQLITE_STATIC);
  sqlite3_bind_int64(s, 5, a.days_left);
  sqlite3_bind_int(s, 6, static_cast<int>(sections));
  sqlite3_bind_text(s, 7, row.data(), static_cast<int>(row.size()), SQLITE_STATIC);
  if (sqlite3_step(s) != SQLITE_DONE) fail("write");
  sqlite3_reset(s);
}

// The digests' table: one row per (recipient, alert key), the first added (SQLite takes a
// bare column's value from the row min() chose), indexed in the order a digest is read.
void AlertBook::seal() {
  if (sealed_) return;
  sealed_ = true;
  exec("CREATE INDEX added_key ON added (recipient, key, seq); "
       "CREATE TABLE digest AS SELECT recipient, key, case_ref, days_left, sections, alert, min(seq) AS seq "
       "FROM added GROUP BY recipient, key; "
       "DROP TABLE added; "
       "CREATE INDEX digest_order ON digest (recipient, days_left, key); COMMIT");
}

std::vector<DigestHead> AlertBook::heads() {
  seal();
  std::vector<DigestHead> out;
  sqlite3_stmt* s = nullptr;
  if (sqlite3_prepare_v2(db_, "SELECT recipient, count(*), count(DISTINCT case_ref) FROM digest "
                              "GROUP BY recipient ORDER BY recipient", -1, &s, nullptr) != SQLITE_OK)
    fail("read");
  int rc = SQLITE_ROW;
  while ((rc = sqlite3_step(s)) == SQLITE_ROW) out.push_back({text(s, 0), sqlite3_column_int64(s, 1), sqlite3_column_int64(s, 2)});
  sqlite3_finalize(s);
  if (rc != SQLITE_DONE) fail("read");
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
  sqlite3_stmt* s = nullptr;
  if (sqlite3_prepare_v2(db_, sql, -1, &s, nullptr) != SQLITE_OK) fail("read");
  sqlite3_bind_text(s, 1, to.data(), static_cast<int>(to.size()), SQLITE_STATIC);
  sqlite3_bind_int(s, 2, static_cast<int>(bits));
  int rc = SQLITE_ROW;
  try {
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) visit(Alert::parse(text(s, 0)));
  } catch (...) {
    sqlite3_finalize(s);
    throw;
  }
  sqlite3_finalize(s);
  if (rc != SQLITE_DONE) fail("read");
}

}  // namespace kpi
