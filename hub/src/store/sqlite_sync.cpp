#include "store/sqlite_sync.h"

#include <map>

namespace sendhub::sqlite {
namespace {

std::string joined(const std::vector<std::string>& v, std::size_t n, const char* sep) {
  std::string out;
  for (std::size_t i = 0; i < n && i < v.size(); ++i) out += (i ? sep : "") + v[i];
  return out;
}

std::string key_of(const Row& r, std::size_t n) { return joined(r, n, "\x1f"); }

}  // namespace

std::vector<Row> read_rows(Db& db, const std::string& table, const std::vector<std::string>& columns) {
  Stmt s(db, "SELECT " + joined(columns, columns.size(), ", ") + " FROM " + table + " ORDER BY 1, 2");
  std::vector<Row> out;
  while (s.step()) {
    Row r;
    for (std::size_t i = 0; i < columns.size(); ++i) r.push_back(s.text(static_cast<int>(i)));
    out.push_back(std::move(r));
  }
  return out;
}

std::int64_t sync_rows(Db& db, const std::string& table, const std::vector<std::string>& columns,
                       std::size_t key_columns, const std::vector<Row>& rows) {
  std::map<std::string, Row> existing;
  for (auto& r : read_rows(db, table, columns)) existing.emplace(key_of(r, key_columns), std::move(r));
  std::string params, where;
  for (std::size_t i = 0; i < columns.size(); ++i) params += (i ? ", ?" : "?") + std::to_string(i + 1);
  for (std::size_t i = 0; i < key_columns; ++i)
    where += (i ? " AND " : "") + columns[i] + " = ?" + std::to_string(i + 1);
  Stmt put(db, "INSERT OR REPLACE INTO " + table + "(" + joined(columns, columns.size(), ", ") + ") VALUES (" + params + ")");
  Stmt del(db, "DELETE FROM " + table + " WHERE " + where);
  std::int64_t changed = 0;
  for (const auto& r : rows) {
    auto it = existing.find(key_of(r, key_columns));
    if (it != existing.end()) {
      const bool same = it->second == r;
      existing.erase(it);
      if (same) continue;
    }
    put.reset();
    for (std::size_t i = 0; i < r.size(); ++i) put.bind(static_cast<int>(i + 1), r[i]);
    put.run();
    ++changed;
  }
  for (const auto& [key, r] : existing) {  // rows no longer produced
    del.reset();
    for (std::size_t i = 0; i < key_columns; ++i) del.bind(static_cast<int>(i + 1), r[i]);
    del.run();
    ++changed;
  }
  return changed;
}

}  // namespace sendhub::sqlite
