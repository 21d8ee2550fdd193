#include "store/sqlite/sqlite_issues.h"

namespace sendhub::sqlite {
namespace {

constexpr const char* kColumns = "rule, severity, file, line, path, field, message, person_ref";

void remove(Db& db, std::int64_t run, int year) {
  Stmt del(db, "DELETE FROM validation_issues WHERE run_id = ?1 AND return_year = ?2");
  del.bind(1, run).bind(2, static_cast<std::int64_t>(year)).run();
}

}  // namespace

void save_issues(Db& db, std::int64_t run, int year, const std::vector<Store::IssueRow>& issues, bool replace) {
  in_transaction(db, [&] {
    if (replace) remove(db, run, year);
    Stmt ins(db, std::string("INSERT INTO validation_issues(run_id, return_year, ") + kColumns +
                     ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
    for (const auto& i : issues)
      ins.reset().bind(1, run).bind(2, static_cast<std::int64_t>(year)).bind(3, i.rule).bind(4, i.severity)
          .bind(5, i.file).bind(6, i.line).bind(7, i.path).bind(8, i.field).bind(9, i.message)
          .bind(10, i.person_ref).run();
  });
}

std::pair<std::int64_t, std::int64_t> copy_issues(Db& db, std::int64_t from_run, std::int64_t run, int year) {
  in_transaction(db, [&] {
    remove(db, run, year);
    Stmt copy(db, std::string("INSERT INTO validation_issues(run_id, return_year, ") + kColumns + ") SELECT ?1, ?2, " +
                      kColumns + " FROM validation_issues WHERE run_id = ?3 AND return_year = ?2");
    copy.bind(1, run).bind(2, static_cast<std::int64_t>(year)).bind(3, from_run).run();
  });
  Stmt count(db, "SELECT COALESCE(SUM(severity = 'error'), 0), COALESCE(SUM(severity <> 'error'), 0) FROM "
                 "validation_issues WHERE run_id = ?1 AND return_year = ?2");
  count.bind(1, run).bind(2, static_cast<std::int64_t>(year));
  return count.step() ? std::make_pair(count.integer(0), count.integer(1)) : std::make_pair<std::int64_t, std::int64_t>(0, 0);
}

}  // namespace sendhub::sqlite
