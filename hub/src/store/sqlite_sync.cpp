#include "store/sqlite_sync.h"

namespace sendhub::sqlite {
namespace {

std::string joined(const std::vector<std::string>& v, std::size_t n, const std::string& prefix, const char* sep) {
  std::string out;
  for (std::size_t i = 0; i < n && i < v.size(); ++i) out += (i ? sep : "") + prefix + v[i];
  return out;
}

}  // namespace

std::vector<Row> read_rows(Db& db, const std::string& table, const std::vector<std::string>& columns) {
  Stmt s(db, "SELECT " + joined(columns, columns.size(), "", ", ") + " FROM " + table + " ORDER BY 1, 2");
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
// unchanged row is not rewritten (so re-linking unchanged data writes nothing).
std::int64_t sync_rows(Db& db, const std::string& table, const std::vector<std::string>& columns,
                       std::size_t key_columns, const std::function<bool(Row&)>& next) {
  const std::string stage = "temp.stage_" + table;
  const std::string cols = joined(columns, columns.size(), "", ", ");
  db.exec("CREATE TEMP TABLE IF NOT EXISTS stage_" + table + " (" + joined(columns, columns.size(), "", " TEXT, ") +
          " TEXT, PRIMARY KEY (" + joined(columns, key_columns, "", ", ") + "))");
  db.exec("DELETE FROM " + stage);
  std::string params;
  for (std::size_t i = 0; i < columns.size(); ++i) params += (i ? ", ?" : "?") + std::to_string(i + 1);
  Stmt put(db, "INSERT OR REPLACE INTO " + stage + " (" + cols + ") VALUES (" + params + ")");
  for (Row r; next(r); r.clear()) {
    put.reset();
    for (std::size_t i = 0; i < r.size(); ++i) put.bind(static_cast<int>(i + 1), r[i]);
    put.run();
  }
  std::string same_key;
  for (std::size_t i = 0; i < key_columns; ++i)
    same_key += std::string(i ? " AND " : "") + "s." + columns[i] + " = " + table + "." + columns[i];
  db.exec("DELETE FROM " + table + " WHERE NOT EXISTS (SELECT 1 FROM " + stage + " s WHERE " + same_key + ")");
  std::int64_t changed = db.changes();
  db.exec("INSERT OR REPLACE INTO " + table + " (" + cols + ") SELECT " + cols + " FROM " + stage + " EXCEPT SELECT " +
          cols + " FROM " + table);
  changed += db.changes();
  db.exec("DELETE FROM " + stage);
  return changed;
}

}  // namespace sendhub::sqlite
