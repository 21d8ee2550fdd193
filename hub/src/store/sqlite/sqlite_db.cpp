#include "store/sqlite/sqlite_db.h"

#include <sys/stat.h>

#include <algorithm>
#include <utility>
#include <vector>

#include "sendhub/error.h"

namespace sendhub::sqlite {

namespace {

// Issue 30's profile of a council's run: about 5% of it was SQLite taking mutexes, for memory
// statistics nobody reads and for a connection only one thread ever uses (the SEN2 reader's
// parsing thread never touches the store). Both off: memory statistics once for the process,
// before SQLite starts; each store connection opened without its own mutex.
void quiet_sqlite_mutexes() {
  static const int once = [] {
    if (sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) != SQLITE_OK) return 0;   // SQLite already started: leave it
    return 1;
  }();
  (void)once;
}

}  // namespace

Db::Db(const std::string& path) : path_(path) {
  quiet_sqlite_mutexes();
  int rc = sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
    sqlite3_close(db_);
    db_ = nullptr;
    throw Error(Where{path, 0, ""}, "", "store", "cannot open the store: " + msg);
  }
  ::chmod(path.c_str(), 0600);
  sqlite3_busy_timeout(db_, 5000);
  sqlite3_extended_result_codes(db_, 1);
}

Db::~Db() { sqlite3_close_v2(db_); }

void Db::fail(const std::string& what) const {
  throw Error(Where{path_, 0, ""}, "", "store", what + ": " + sqlite3_errmsg(db_));
}

void Db::exec(const std::string& sql) {
  char* err = nullptr;
  if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : "unknown error";
    sqlite3_free(err);
    throw Error(Where{path_, 0, ""}, "", "store", "SQL failed: " + msg);
  }
}

void Db::rollback_quietly() noexcept {
  if (db_ && !sqlite3_get_autocommit(db_)) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
}

std::int64_t Db::changes() const { return sqlite3_changes64(db_); }

Stmt::Stmt(Db& db, std::string_view sql) : db_(&db) {
  if (sqlite3_prepare_v3(db.handle(), sql.data(), static_cast<int>(sql.size()),
                         SQLITE_PREPARE_PERSISTENT, &stmt_, nullptr) != SQLITE_OK)
    db.fail("cannot prepare statement");
}

Stmt::~Stmt() { sqlite3_finalize(stmt_); }

Stmt::Stmt(Stmt&& other) noexcept : db_(other.db_), stmt_(other.stmt_) { other.stmt_ = nullptr; }

Stmt& Stmt::operator=(Stmt&& other) noexcept {
  if (this != &other) {
    sqlite3_finalize(stmt_);
    db_ = other.db_;
    stmt_ = other.stmt_;
    other.stmt_ = nullptr;
  }
  return *this;
}

Stmt& Stmt::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  return *this;
}

Stmt& Stmt::bind(int i, std::string_view text) {
  int rc = text.empty() ? sqlite3_bind_null(stmt_, i)
                        : sqlite3_bind_text(stmt_, i, text.data(), static_cast<int>(text.size()),
                                            SQLITE_TRANSIENT);
  if (rc != SQLITE_OK) db_->fail("cannot bind value");
  return *this;
}

Stmt& Stmt::bind_static(int i, std::string_view text) {
  int rc = text.empty() ? sqlite3_bind_null(stmt_, i)
                        : sqlite3_bind_text(stmt_, i, text.data(), static_cast<int>(text.size()), SQLITE_STATIC);
  if (rc != SQLITE_OK) db_->fail("cannot bind value");
  return *this;
}

Stmt& Stmt::bind_text(int i, std::string_view text) {
  if (sqlite3_bind_text(stmt_, i, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT) != SQLITE_OK)
    db_->fail("cannot bind value");
  return *this;
}

Stmt& Stmt::bind_blob(int i, std::string_view bytes) {
  if (sqlite3_bind_blob64(stmt_, i, bytes.data(), bytes.size(), SQLITE_TRANSIENT) != SQLITE_OK) db_->fail("cannot bind value");
  return *this;
}

Stmt& Stmt::bind(int i, std::int64_t value) {
  if (sqlite3_bind_int64(stmt_, i, value) != SQLITE_OK) db_->fail("cannot bind value");
  return *this;
}

bool Stmt::step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  db_->fail("SQL step failed");
}

void Stmt::run() {
  while (step()) {
  }
}

std::string Stmt::text(int col) const {
  auto p = sqlite3_column_text(stmt_, col);
  return p ? std::string(reinterpret_cast<const char*>(p),
                         static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col)))
           : std::string();
}

std::string Stmt::blob(int col) const {
  const void* p = sqlite3_column_blob(stmt_, col);
  return p ? std::string(static_cast<const char*>(p), static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col))) : std::string();
}

std::string_view Stmt::blob_view(int col) const {
  const void* p = sqlite3_column_blob(stmt_, col);
  return p ? std::string_view(static_cast<const char*>(p), static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col)))
           : std::string_view();
}

std::int64_t Stmt::integer(int col) const { return sqlite3_column_int64(stmt_, col); }

bool Stmt::is_null(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }

void DeferredIndexes::defer_if_empty(Db& db, const std::string& table) {
  if (std::find(tables_.begin(), tables_.end(), table) != tables_.end() || !is_empty(db, table)) return;
  tables_.push_back(table);
  const std::size_t first = indexes_.size();
  {
    Stmt s(db, "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ?1 AND sql IS NOT NULL");
    s.bind(1, table);
    while (s.step()) indexes_.emplace_back(s.text(0), s.text(1));
  }
  for (std::size_t i = first; i < indexes_.size(); ++i) db.exec("DROP INDEX " + indexes_[i].first);
}

void DeferredIndexes::build(Db& db) {
  for (const auto& [name, sql] : indexes_) db.exec(sql);
  forget();
}

void bulk_load(Db& db, const std::string& table, const std::function<void()>& insert) {
  DeferredIndexes deferred;
  deferred.defer_if_empty(db, table);
  insert();
  deferred.build(db);
}

std::string quoted(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

bool is_empty(Db& db, const std::string& table) {
  Stmt s(db, "SELECT 1 FROM " + table + " LIMIT 1");
  return !s.step();
}

std::int64_t count_rows(Db& db, const std::string& table) {
  Stmt s(db, "SELECT COUNT(*) FROM " + table);
  return s.step() ? s.integer(0) : 0;
}

std::int64_t store_bytes(Db& db) {
  Stmt s(db, "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()");
  return s.step() ? s.integer(0) : 0;
}

std::int64_t page_cache_kib(std::int64_t store_bytes) {
  constexpr std::int64_t kLeast = 8192, kMost = 65536;
  return std::clamp<std::int64_t>(store_bytes / 1024 / 100, kLeast, kMost);
}

}  // namespace sendhub::sqlite
