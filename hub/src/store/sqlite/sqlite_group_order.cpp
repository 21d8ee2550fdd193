#include "store/sqlite/sqlite_group_order.h"

#include <cstdint>
#include <optional>

#include "sendhub/records.h"
#include "store/sqlite/sqlite_dataset.h"
#include "store/sqlite/sqlite_group_copies.h"

namespace sendhub::sqlite {
namespace {

std::string request_kind() { return std::to_string(static_cast<int>(RecordKind::request)); }

// Each group's first line in the year's return (its persons' requests there), for the groups
// `members` names (a subquery `SELECT grp FROM ...`, or "" for all), into temp.first_line. Found
// from the year's requests (their index) with one look-up each in the dataset index: joined the
// other way round, every member of the dataset looked its request up (2.8 s of a 100,000-child
// walk, 0.4 s so).
void first_lines(Db& db, int year, const std::string& members) {
  db.exec("CREATE TEMP TABLE IF NOT EXISTS first_line (grp TEXT PRIMARY KEY, at INTEGER) WITHOUT ROWID");
  db.exec("DELETE FROM temp.first_line");
  const std::string join = " CROSS JOIN dataset_member m ON m.kind = " + request_kind() + " AND m.source = r.source AND m.ref = r.rkey ";
  Stmt first(db, members.empty()
                     ? "INSERT INTO temp.first_line SELECT m.grp, MIN(r.line) FROM request r" + join +
                           "WHERE r.return_year = ?1 GROUP BY m.grp"
                     : "INSERT INTO temp.first_line SELECT m.grp, MIN(r.line) FROM (" + members +
                           ") t CROSS JOIN dataset_member m ON m.grp = t.grp AND m.kind = " + request_kind() +
                           " CROSS JOIN request r ON r.source = m.source AND r.rkey = m.ref AND r.return_year = ?1 GROUP BY m.grp");
  first.bind(1, static_cast<std::int64_t>(year)).run();
}

// The rows of group_order for `year` of the groups `groups` names ("": every group of the index).
void put_rows(Db& db, int year, const std::string& groups) {
  const std::string all = groups.empty() ? "SELECT DISTINCT grp FROM dataset_member"
                                         : "SELECT grp FROM (" + groups + ") t WHERE EXISTS (SELECT 1 FROM dataset_member m WHERE m.grp = t.grp)";
  if (year <= 0) {
    db.exec("INSERT OR REPLACE INTO group_order(year, late, at, grp) SELECT 0, 1, 0, g.grp FROM (" + all + ") g");
    return;
  }
  first_lines(db, year, groups);
  Stmt put(db, "INSERT OR REPLACE INTO group_order(year, late, at, grp) SELECT ?1, f.at IS NULL, COALESCE(f.at, 0), g.grp "
               "FROM (" + all + ") g LEFT JOIN temp.first_line f ON f.grp = g.grp");
  put.bind(1, static_cast<std::int64_t>(year)).run();
  db.exec("DELETE FROM temp.first_line");
}

bool exists(Db& db, const std::string& sql, std::int64_t bound = 0) {
  Stmt s(db, sql);
  if (sql.find("?1") != std::string::npos) s.bind(1, bound);
  return s.step() && s.integer(0) == 1;
}

// Whether the kept order stands: the copies describe the links (the same linking keeps both).
bool order_stands(Db& db) {
  const std::optional<std::int64_t> linked = links_current(db);
  return linked && copies_describe(db, *linked);
}

// The touched groups given their places again in every year kept.
void mend(Db& db) {
  if (!exists(db, "SELECT EXISTS (SELECT 1 FROM group_order_touched)")) return;
  db.exec("DELETE FROM group_order WHERE grp IN (SELECT grp FROM group_order_touched)");
  Stmt next(db, "SELECT year FROM group_order WHERE year > ?1 ORDER BY year LIMIT 1");
  for (std::int64_t year = -1;;) {
    next.reset().bind(1, year);
    if (!next.step()) break;
    year = next.integer(0);
    next.reset();
    put_rows(db, static_cast<int>(year), "SELECT grp FROM group_order_touched");
  }
  db.exec("DELETE FROM group_order_touched");
}

// The order worked out from the dataset index alone (no kept order).
void afresh(Db& db, int order_year, const std::string& order) {
  if (order_year <= 0) {
    db.exec("INSERT INTO " + order + "(grp) SELECT DISTINCT grp FROM dataset_member ORDER BY grp");
    return;
  }
  first_lines(db, order_year, "");   // left in place for keep_order_of (emptied by the next)
  db.exec("INSERT INTO " + order + "(grp) SELECT g.grp FROM (SELECT DISTINCT grp FROM dataset_member) g "
          "LEFT JOIN temp.first_line f ON f.grp = g.grp ORDER BY f.at IS NULL, f.at, g.grp");
}

}  // namespace

void order_groups(Db& db, int order_year, const std::string& table, bool keep) {
  const std::string order = "temp." + table;
  const std::int64_t year = order_year > 0 ? order_year : 0;
  // Emptied, not dropped: DROP TABLE fails while any statement of the connection is open.
  db.exec("CREATE TEMP TABLE IF NOT EXISTS " + table + " (pos INTEGER PRIMARY KEY, grp TEXT NOT NULL)");
  db.exec("DELETE FROM " + order);
  const auto year_kept = [&] { return exists(db, "SELECT EXISTS (SELECT 1 FROM group_order WHERE year = ?1)", year); };
  bool kept = order_stands(db);
  if (kept && keep) {
    mend(db);   // nothing awaits its place after it
    if (!year_kept()) put_rows(db, order_year, "");
  } else if (kept) {
    kept = !exists(db, "SELECT EXISTS (SELECT 1 FROM group_order_touched)");
  }
  kept = kept && year_kept();   // not yet kept by a walk that may write (or no group at all)
  if (!kept) return afresh(db, order_year, order);
  Stmt fill(db, "INSERT INTO " + order + "(grp) SELECT grp FROM group_order WHERE year = ?1 ORDER BY late, at, grp");
  fill.bind(1, year).run();
}

void touch_groups(Db& db, const std::string& groups) {
  db.exec("INSERT OR IGNORE INTO group_order_touched(grp) SELECT grp FROM (" + groups + ") WHERE grp IS NOT NULL");
}

void drop_order(Db& db) {
  db.exec("DELETE FROM group_order");
  db.exec("DELETE FROM group_order_touched");
}

void keep_order_of(Db& from, Db& into, int order_year, const std::string& table) {
  const std::int64_t year = order_year > 0 ? order_year : 0;
  if (!order_stands(into) || exists(into, "SELECT EXISTS (SELECT 1 FROM group_order WHERE year = ?1)", year)) return;
  // Year 0 is by key alone: temp.first_line may hold another walk's lines.
  Stmt read(from, year > 0 ? "SELECT o.grp, f.at FROM temp." + table + " o LEFT JOIN temp.first_line f ON f.grp = o.grp ORDER BY o.pos"
                           : "SELECT grp, NULL FROM temp." + table + " ORDER BY pos");
  Stmt put(into, "INSERT OR REPLACE INTO group_order(year, late, at, grp) VALUES (?1, ?2, ?3, ?4)");
  while (read.step()) {
    const bool late = read.is_null(1);
    put.reset().bind(1, year).bind(2, std::int64_t{late ? 1 : 0}).bind(3, late ? std::int64_t{0} : read.integer(1));
    put.bind_text(4, read.text(0)).run();
  }
}

}  // namespace sendhub::sqlite
