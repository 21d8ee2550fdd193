#include "store/pg/pg_rows.h"

#include "sendhub/error.h"

#include <cstdlib>

namespace sendhub::pg {
namespace {

constexpr int kBatch = 2000;
constexpr std::size_t kCopyBatch = 10000;

}  // namespace

// Outside a transaction the cursor must outlive the statement's own: WITH HOLD (the server
// keeps its rows, not this process).
Cursor::Cursor(Db& db, const std::string& sql, const std::vector<Param>& params)
    : db_(db), name_("sendhub_cursor_" + std::to_string(db.next_id())) {
  const bool in_transaction = libpq().PQtransactionStatus(db.handle()) != PQTRANS_IDLE;
  db_.query("DECLARE " + name_ + " NO SCROLL CURSOR " + (in_transaction ? "" : "WITH HOLD ") + "FOR " + sql, params);
}

Cursor::~Cursor() {
  if (done_) return;
  // Never throws: a failed transaction has closed it already.
  libpq().PQclear(libpq().PQexec(db_.handle(), ("CLOSE " + name_).c_str()));
}

bool Cursor::step() {
  if (done_) return false;
  if (batch_ && ++row_ < batch_->rows()) return true;
  batch_.emplace(db_.query("FETCH " + std::to_string(kBatch) + " FROM " + name_));
  row_ = 0;
  if (batch_->rows() > 0) return true;
  db_.exec("CLOSE " + name_);
  done_ = true;
  return false;
}

std::string Cursor::text(int col) const { return batch_->text(row_, col); }
std::int64_t Cursor::integer(int col) const { return std::strtoll(batch_->text(row_, col).c_str(), nullptr, 10); }
bool Cursor::is_null(int col) const { return batch_->is_null(row_, col); }

Appender::Appender(Db& db, std::string copy_sql) : db_(&db), copy_sql_(std::move(copy_sql)) {}

void Appender::add(std::vector<Param> row) {
  rows_.push_back(std::move(row));
  if (rows_.size() >= kCopyBatch) flush();
}

std::size_t Appender::flush() {
  const std::size_t n = rows_.size();
  if (n == 0) return 0;
  db_->copy_in(copy_sql_, rows_);
  rows_.clear();
  return n;
}

std::string value(Db& db, const std::string& sql, const std::vector<Param>& params) {
  Result r = db.query(sql, params);
  return r.rows() > 0 ? r.text(0, 0) : "";
}

std::int64_t number(Db& db, const std::string& sql, const std::vector<Param>& params) {
  return std::strtoll(value(db, sql, params).c_str(), nullptr, 10);
}

void create_stage(Db& db, const std::string& stage, const std::string& pool_table, const std::string& own_columns) {
  db.exec("CREATE TEMP TABLE IF NOT EXISTS " + stage + " (" + own_columns + "LIKE " + pool_table + " INCLUDING DEFAULTS); "
          "ALTER TABLE " + stage + " ALTER COLUMN council DROP DEFAULT, ALTER COLUMN council DROP NOT NULL");
}

void analyze(Db& db, const std::vector<std::string>& tables, std::int64_t changed_rows) {
  Result stale = db.query("SELECT relname FROM pg_class WHERE relnamespace = 'public'::regnamespace AND "
                          "relname = ANY($1::text[]) AND (reltuples < 0 OR reltuples <= $2::float8 * 10)",
                          {text_array(tables), std::to_string(changed_rows)});
  if (stale.rows() == 0) return;
  std::vector<std::string> names;
  names.reserve(static_cast<std::size_t>(stale.rows()));
  for (int i = 0; i < stale.rows(); ++i) names.push_back(stale.text(i, 0));
  db.query("SELECT sendhub_analyze($1::text[])", {text_array(names)});
}

int schema_version(Db& db) {
  if (value(db, "SELECT to_regclass('schema_migrations')::text").empty()) return 0;
  return static_cast<int>(number(db, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations"));
}

void refuse(const std::string& message) { throw Error(Where{}, "store.conninfo", "store.postgresql", message); }

}  // namespace sendhub::pg
