#include "store/sqlite/sqlite_kind_statements.h"

#include "store/record_rows.h"

namespace sendhub::sqlite {
namespace {

// Lineage columns every record table starts with, in this order.
constexpr const char* kLineage = "source, rkey, run_id, file, line, path, return_year, row_hash";

std::string field_list(const KindSpec& k) {
  std::string out;
  for (const auto& f : k.fields) out += std::string(out.empty() ? "" : ", ") + std::string(f.name);
  return out;
}

}  // namespace

KindStatements prepare_kind(Db& db, const KindSpec& k) {
  const std::string table(k.name);
  const std::string fields = field_list(k);
  std::string params, updates;
  for (std::size_t i = 0; i < k.fields.size(); ++i) {
    params += ", ?" + std::to_string(9 + i);
    updates += ", " + std::string(k.fields[i].name) + " = excluded." + std::string(k.fields[i].name);
  }
  params += ", ?" + std::to_string(9 + k.fields.size());  // extras
  std::string upsert = "INSERT INTO " + table + "(" + kLineage + ", " + fields +
                       ", extras) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8" + params +
                       ") ON CONFLICT(source, rkey) DO UPDATE SET run_id = excluded.run_id, "
                       "file = excluded.file, line = excluded.line, path = excluded.path, "
                       "return_year = excluded.return_year, row_hash = excluded.row_hash, "
                       "extras = excluded.extras" + updates;
  const std::string of_file = " WHERE source = ?1 AND file = ?2";
  const std::string not_seen = " AND rkey NOT IN (SELECT rkey FROM temp.seen WHERE kind = ?3)";
  const std::string listed = " AND rkey IN (SELECT rkey FROM temp.unseen WHERE kind = ?3)";
  return {Stmt(db, "SELECT row_hash, file, line FROM " + table + " WHERE source = ?1 AND rkey = ?2"),
          Stmt(db, upsert),
          Stmt(db, "DELETE FROM " + table + of_file + not_seen),
          "SELECT " + store::record_columns(k.kind, table) + " FROM " + table +
              " WHERE ?1 = 0 OR return_year = ?1 ORDER BY source, file, line, rkey",
          Stmt(db, "SELECT DISTINCT return_year FROM " + table + of_file + not_seen),
          Stmt(db, "SELECT 1 FROM " + table + " WHERE source = ?1 LIMIT 1"),
          Stmt(db, "SELECT rkey FROM " + table + of_file),
          Stmt(db, "DELETE FROM " + table + of_file + listed),
          Stmt(db, "SELECT DISTINCT return_year FROM " + table + of_file + listed)};
}

}  // namespace sendhub::sqlite
