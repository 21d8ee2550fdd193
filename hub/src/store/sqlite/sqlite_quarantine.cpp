#include "store/sqlite/sqlite_quarantine.h"

namespace sendhub::sqlite {

void quarantine(Db& db, std::int64_t run, const std::string& source, const Error& why, std::string_view raw) {
  Stmt s(db, "INSERT INTO quarantine(run_id, source, file, line, path, field, rule, reason, raw) "
             "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
  s.bind(1, run).bind(2, source).bind(3, why.where().file).bind(4, why.where().line)
      .bind(5, why.where().path).bind(6, why.field()).bind(7, why.rule()).bind(8, why.message())
      .bind(9, raw).run();
}

bool carry_quarantine(Db& db, const std::string& source, const std::vector<std::string>& files, std::int64_t from_run,
                      std::int64_t to_run, std::int64_t expected, const std::function<void(const Error&)>& visit) {
  db.exec("CREATE TEMP TABLE IF NOT EXISTS carry_file (file TEXT PRIMARY KEY)");
  db.exec("DELETE FROM temp.carry_file");
  Stmt add(db, "INSERT OR IGNORE INTO temp.carry_file VALUES (?1)");
  for (const auto& f : files) add.reset().bind(1, f).run();
  const std::string rows = " FROM quarantine WHERE run_id = ?1 AND source = ?2 AND file IN (SELECT file FROM temp.carry_file)";
  Stmt count(db, "SELECT COUNT(*)" + rows);
  count.bind(1, from_run).bind(2, source);
  if (!count.step() || count.integer(0) != expected) return false;
  count.reset();
  Stmt copy(db, "INSERT INTO quarantine(run_id, source, file, line, path, field, rule, reason, raw) "
                "SELECT ?3, source, file, line, path, field, rule, reason, raw" + rows + " ORDER BY id");
  copy.bind(1, from_run).bind(2, source).bind(3, to_run).run();
  Stmt read(db, "SELECT file, line, path, field, rule, reason" + rows + " ORDER BY id");
  read.bind(1, to_run).bind(2, source);
  while (read.step()) visit(Error(Where{read.text(0), read.integer(1), read.text(2)}, read.text(3), read.text(4), read.text(5)));
  return true;
}

std::int64_t prune_quarantine(Db& db, int days) {
  Stmt s(db, "DELETE FROM quarantine WHERE run_id IN (SELECT run_id FROM runs WHERE "
             "julianday(replace(started, 'Z', '')) < julianday('now') - ?1)");
  s.bind(1, static_cast<std::int64_t>(days)).run();
  return db.changes();
}

}  // namespace sendhub::sqlite
