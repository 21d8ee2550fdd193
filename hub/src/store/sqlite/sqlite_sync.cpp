#include "store/sqlite/sqlite_sync.h"

namespace sendhub::sqlite {
namespace {

std::string joined(const std::vector<std::string>& v, std::size_t n, const std::string& prefix, const char* sep) {
  std::string out;
  for (std::size_t i = 0; i < n && i < v.size(); ++i) out += (i ? sep : "") + prefix + v[i];
  return out;
}

}  // namespace

std::vector<Row> read_rows(Db& db, const std::string& table, const std::vector<std::string>& columns,
                           const std::string& where_column, const std::string& where_key) {
  Stmt s(db, "SELECT " + joined(columns, columns.size(), "", ", ") + " FROM " + table +
                 (where_column.empty() ? "" : " WHERE " + where_column + " = ?1") + " ORDER BY 1, 2");
  if (!where_column.empty()) s.bind_text(1, where_key);
  std::vector<Row> out;
  while (s.step()) {
    Row r;
    for (std::size_t i = 0; i < columns.size(); ++i) r.push_back(s.text(static_cast<int>(i)));
    out.push_back(std::move(r));
  }
  return out;
}

// The new rows go to a temporary table; SQL then deletes the rows no longer produced and
// writes those that are new or differ. Nothing of the table is held in memory, and an
// unchanged row is not rewritten (so re-linking unchanged data writes nothing). A stage made
// straight_when_empty whose table is empty at its first row writes into the table itself:
// there is nothing to compare with, and the caller's transaction hides the rows until it commits.
Stage::Stage(Db& db, std::string table, std::vector<std::string> columns, std::size_t key_columns,
             bool straight_when_empty)
    : db_(db), table_(std::move(table)), stage_("temp.stage_" + table_), cols_(joined(columns, columns.size(), "", ", ")),
      columns_(std::move(columns)), key_columns_(key_columns), way_(straight_when_empty ? Way::undecided : Way::staged) {
  db_.exec("CREATE TEMP TABLE IF NOT EXISTS stage_" + table_ + " (" + joined(columns_, columns_.size(), "", " TEXT, ") +
           " TEXT, PRIMARY KEY (" + joined(columns_, key_columns_, "", ", ") + "))");
  db_.exec("DELETE FROM " + stage_);
}

bool Stage::straight() {
  if (way_ == Way::undecided) way_ = is_empty(db_, table_) ? Way::straight : Way::staged;
  return way_ == Way::straight;
}

void Stage::put(const Row& row) {
  if (!put_.prepared()) {   // made at the first row: where it goes is decided then
    std::string params;
    for (std::size_t i = 0; i < columns_.size(); ++i) params += (i ? ", ?" : "?") + std::to_string(i + 1);
    put_ = Stmt(db_, "INSERT OR REPLACE INTO " + target() + " (" + cols_ + ") VALUES (" + params + ")");
  }
  put_.reset();
  for (std::size_t i = 0; i < row.size(); ++i) put_.bind(static_cast<int>(i + 1), row[i]);
  put_.run();
}

std::int64_t Stage::apply() {
  if (straight()) return count_rows(db_, table_);   // every row is new
  if (is_empty(db_, table_)) {   // the first time: every staged row is new
    db_.exec("INSERT INTO " + table_ + " (" + cols_ + ") SELECT " + cols_ + " FROM " + stage_);
    const std::int64_t added = db_.changes();
    db_.exec("DELETE FROM " + stage_);
    return added;
  }
  db_.exec("DELETE FROM " + table_ + " WHERE NOT EXISTS (SELECT 1 FROM " + stage_ + " s WHERE " + same_key("s", table_) + ")");
  std::int64_t changed = db_.changes();
  db_.exec("INSERT OR REPLACE INTO " + table_ + " (" + cols_ + ") SELECT " + cols_ + " FROM " + stage_ + " EXCEPT SELECT " +
           cols_ + " FROM " + table_);
  changed += db_.changes();
  db_.exec("DELETE FROM " + stage_);
  return changed;
}

std::int64_t Stage::apply_within(const std::string& in_scope) {
  if (straight()) return count_rows(db_, table_);   // nothing was in scope, or anywhere
  db_.exec("DELETE FROM " + table_ + " WHERE " + in_scope + " AND NOT EXISTS (SELECT 1 FROM " + stage_ + " s WHERE " +
           same_key("s", table_) + ")");
  std::int64_t changed = db_.changes();
  std::string same_row = same_key("t", "s");
  for (std::size_t i = key_columns_; i < columns_.size(); ++i) same_row += " AND t." + columns_[i] + " IS s." + columns_[i];
  db_.exec("INSERT OR REPLACE INTO " + table_ + " (" + cols_ + ") SELECT " + cols_ + " FROM " + stage_ + " s WHERE NOT EXISTS "
           "(SELECT 1 FROM " + table_ + " t WHERE " + same_row + ")");
  changed += db_.changes();
  db_.exec("DELETE FROM " + stage_);
  return changed;
}

std::string Stage::same_key(const std::string& a, const std::string& b) const {
  std::string out;
  for (std::size_t i = 0; i < key_columns_; ++i) out += std::string(i ? " AND " : "") + a + "." + columns_[i] + " = " + b + "." + columns_[i];
  return out;
}

std::int64_t sync_rows(Db& db, const std::string& table, const std::vector<std::string>& columns,
                       std::size_t key_columns, const std::function<bool(Row&)>& next) {
  Stage stage(db, table, columns, key_columns);
  for (Row r; next(r); r.clear()) stage.put(r);
  return stage.apply();
}

}  // namespace sendhub::sqlite
