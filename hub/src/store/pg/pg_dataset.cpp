#include "store/pg/pg_dataset.h"

#include "store/pg/pg_rows.h"
#include "store/record_rows.h"

namespace sendhub::pg {
namespace {

using store::hangs_from_request;
using store::read_record;
using store::record_columns;
using store::ref_column;

std::string kind_number(RecordKind kind) { return std::to_string(static_cast<int>(kind)); }

struct Stream {
  std::unique_ptr<Cursor> rows;
  RecordKind kind;
  bool has = false;
};

// The groups in the order sinks read them: by group, or (order_year) the persons the loaded
// return of that year reported first, by the line of their first request there.
// Analyzed once filled: the cursors' plans join it to every kind's table.
void order_groups(Db& db, int order_year) {
  db.exec("CREATE TEMP TABLE IF NOT EXISTS dataset_order (pos BIGINT PRIMARY KEY, grp TEXT COLLATE \"C\" NOT NULL)");
  db.exec("TRUNCATE dataset_order");
  if (order_year <= 0) {
    db.exec("INSERT INTO dataset_order SELECT row_number() OVER (ORDER BY grp), grp FROM "
            "(SELECT DISTINCT grp FROM dataset_member) g; ANALYZE dataset_order");
    return;
  }
  db.query("INSERT INTO dataset_order SELECT row_number() OVER (ORDER BY at IS NULL, at, grp), grp FROM "
           "(SELECT m.grp AS grp, MIN(r.line) AS at FROM dataset_member m LEFT JOIN request r ON m.kind = " +
               kind_number(RecordKind::request) + " AND r.source = m.source AND r.rkey = m.ref AND r.return_year = $1 "
           "GROUP BY m.grp) g", {std::to_string(order_year)});
  db.exec("ANALYZE dataset_order");
}

}  // namespace

void each_group(Db& db, int order_year, const std::function<void(StoredGroup&)>& visit) {
  db.exec("BEGIN ISOLATION LEVEL REPEATABLE READ");
  try {
    order_groups(db, order_year);
    std::vector<Stream> streams;
    for (const auto& k : kKinds) {
      if (k.kind == RecordKind::la_return) continue;
      const std::string sql = "SELECT o.pos, m.case_key, " + record_columns(k.kind, "r") +
                              " FROM dataset_order o JOIN dataset_member m ON m.grp = o.grp AND m.kind = " +
                              kind_number(k.kind) + " JOIN " + std::string(k.name) + " r ON r.source = m.source AND r." +
                              ref_column(k.kind) + " = m.ref ORDER BY o.pos, m.case_key, m.source, m.ref, r.rkey";
      streams.push_back({std::make_unique<Cursor>(db, sql), k.kind});
    }
    std::vector<std::string> columns = store::link_columns("linked_person");
    std::string select;
    for (std::size_t i = 1; i < columns.size(); ++i) select += ", p." + columns[i];
    Cursor people(db, "SELECT o.pos" + select + " FROM dataset_order o JOIN linked_person p ON p.person_key = o.grp ORDER BY o.pos");
    bool person_row = people.step();
    for (auto& s : streams) s.has = s.rows->step();
    Cursor order(db, "SELECT pos, grp FROM dataset_order ORDER BY pos");
    const int values = static_cast<int>(columns.size()) - 2;   // between person_key and origins
    while (order.step()) {
      const std::int64_t pos = order.integer(0);
      StoredGroup g;
      g.key = order.text(1);
      if (person_row && people.integer(0) == pos) {
        LinkedPerson p{g.key, {}, people.text(values + 1)};
        for (int i = 0; i < values; ++i) p.values.push_back(people.text(i + 1));
        g.person = std::move(p);
        person_row = people.step();
      }
      for (auto& s : streams)
        for (; s.has && s.rows->integer(0) == pos; s.has = s.rows->step()) {
          g.records.push_back(read_record(*s.rows, s.kind, 2));
          g.records.back().case_key = s.rows->text(1);
        }
      visit(g);
    }
  } catch (...) {
    db.rollback_quietly();
    throw;
  }
  db.rollback_quietly();   // it only read: nothing to keep
}

void each_group_key(Db& db, int order_year, const std::function<void(const std::string&)>& visit) {
  db.exec("BEGIN ISOLATION LEVEL REPEATABLE READ");
  try {
    order_groups(db, order_year);
    Cursor order(db, "SELECT grp FROM dataset_order ORDER BY pos");
    while (order.step()) visit(order.text(0));
  } catch (...) {
    db.rollback_quietly();
    throw;
  }
  db.rollback_quietly();
}

void each_return_person(Db& db, int year, const std::function<void(std::vector<Record>&)>& visit) {
  const std::string y = std::to_string(year);
  Cursor persons(db, "SELECT source, person_ref, " + record_columns(RecordKind::person, "p") +
                         " FROM person p WHERE return_year = $1 ORDER BY source, person_ref", {y});
  std::vector<Stream> streams;
  for (const auto& k : kKinds) {
    if (k.kind != RecordKind::request && !hangs_from_request(k.kind)) continue;
    const std::string sql =
        k.kind == RecordKind::request
            ? "SELECT source, person_ref, " + record_columns(k.kind, "r") +
                  " FROM request r WHERE return_year = $1 ORDER BY source, person_ref, line, rkey"
            : "SELECT q.source, q.person_ref, " + record_columns(k.kind, "r") + " FROM request q JOIN " + std::string(k.name) +
                  " r ON r.source = q.source AND r." + ref_column(k.kind) + " = q.request_ref AND r.return_year = $1 "
                  "WHERE q.return_year = $1 ORDER BY q.source, q.person_ref, q.line, q.rkey, r.rkey";
    streams.push_back({std::make_unique<Cursor>(db, sql, std::vector<Param>{y}), k.kind});
  }
  for (auto& s : streams) s.has = s.rows->step();
  auto behind = [](const Cursor& c, const std::string& source, const std::string& ref) {
    const std::string s = c.text(0);
    return s < source || (s == source && c.text(1) < ref);
  };
  while (persons.step()) {
    const std::string source = persons.text(0), ref = persons.text(1);
    std::vector<Record> group{read_record(persons, RecordKind::person, 2)};
    for (auto& s : streams) {
      while (s.has && behind(*s.rows, source, ref)) s.has = s.rows->step();
      for (; s.has && s.rows->text(0) == source && s.rows->text(1) == ref; s.has = s.rows->step())
        group.push_back(read_record(*s.rows, s.kind, 2));
    }
    visit(group);
  }
}

// As sqlite_dataset.cpp's index_dataset: a child names its request in its owner's source
// (link.request_sources, else its own), else the one case anywhere with that reference. Built
// apart (member_new), then only the rows that differ are written: rewriting all of them each
// run was a second of the pool's linking at 100,000 people, and left as many dead rows.
void index_dataset(Db& db, const std::map<std::string, std::string>& request_sources) {
  const std::string person = kind_number(RecordKind::person), request = kind_number(RecordKind::request);
  const std::string text = " TEXT COLLATE \"C\" NOT NULL";
  db.exec("CREATE TEMP TABLE IF NOT EXISTS member_new (kind INTEGER NOT NULL, source" + text + ", ref" + text + ", grp" + text +
          ", case_key" + text + ", PRIMARY KEY (kind, source, ref))");
  db.exec("TRUNCATE member_new");
  const std::string insert = "INSERT INTO member_new(kind, source, ref, grp, case_key) SELECT ";
  db.exec(insert + person + ", source, person_ref, person_key, '' FROM person_link");
  db.exec(insert + request + ", source, request_ref, CASE WHEN person_key <> '' THEN person_key ELSE 'case:' || case_key END, "
          "case_key FROM request_link");
  db.exec("ANALYZE member_new");   // a temporary table has no statistics until asked
  for (const auto& k : kKinds)   // a census pupil's rows follow its own person record
    if (store::hangs_from_person(k.kind))
      db.exec(insert + kind_number(k.kind) + ", m.source, m.ref, m.grp, '' FROM member_new m WHERE m.kind = " + person +
              " AND EXISTS (SELECT 1 FROM " + std::string(k.name) + " c WHERE c.source = m.source AND c.person_ref = m.ref)");
  db.exec("CREATE TEMP TABLE IF NOT EXISTS request_owner (source TEXT COLLATE \"C\" PRIMARY KEY, owner TEXT COLLATE \"C\" NOT NULL)");
  db.exec("TRUNCATE request_owner");
  for (const auto& [source, owner] : request_sources)
    db.query("INSERT INTO request_owner VALUES ($1, $2)", {source, owner});
  db.exec("CREATE TEMP TABLE IF NOT EXISTS unique_ref (ref TEXT COLLATE \"C\" PRIMARY KEY, grp TEXT COLLATE \"C\", "
          "case_key TEXT COLLATE \"C\")");
  db.exec("TRUNCATE unique_ref");
  db.exec("INSERT INTO unique_ref SELECT ref, MIN(grp), MIN(case_key) FROM member_new WHERE kind = " + request +
          " GROUP BY ref HAVING COUNT(DISTINCT case_key) = 1");
  for (const auto& k : kKinds) {
    if (!hangs_from_request(k.kind)) continue;
    const std::string refs = "(SELECT DISTINCT source, " + std::string(ref_column(k.kind)) + " AS request_ref FROM " +
                             std::string(k.name) + ") c";
    const std::string child = insert + kind_number(k.kind) + ", c.source, c.request_ref, ";
    db.exec(child + "m.grp, m.case_key FROM " + refs + " JOIN member_new m ON m.kind = " + request +
            " AND m.source = COALESCE((SELECT owner FROM request_owner o WHERE o.source = c.source), c.source) "
            "AND m.ref = c.request_ref ON CONFLICT DO NOTHING");
    db.exec(child + "u.grp, u.case_key FROM " + refs + " JOIN unique_ref u ON u.ref = c.request_ref ON CONFLICT DO NOTHING");
  }
  db.exec(insert + kind_number(RecordKind::advice) + ", a.source, a.advice_ref, CASE WHEN a.person_key <> '' THEN a.person_key "
          "WHEN r.case_key IS NOT NULL THEN 'case:' || r.case_key ELSE 'advice:' || a.source || '|' || a.advice_ref END, "
          "COALESCE(r.case_key, '') FROM advice_link a LEFT JOIN request_link r ON r.source = a.request_source AND "
          "r.request_ref = a.request_ref");
  db.exec("ANALYZE member_new");
  const std::string same = "n.kind = d.kind AND n.source = d.source AND n.ref = d.ref AND n.grp = d.grp AND n.case_key = d.case_key";
  db.exec("DELETE FROM dataset_member d WHERE NOT EXISTS (SELECT 1 FROM member_new n WHERE " + same + ")");
  db.exec("INSERT INTO dataset_member(council, kind, source, ref, grp, case_key) SELECT " + std::string(kCouncilOnce) +
          ", n.kind, n.source, n.ref, n.grp, n.case_key FROM member_new n WHERE NOT EXISTS (SELECT 1 FROM dataset_member d WHERE " + same + ")");
  db.exec("TRUNCATE member_new");
}

}  // namespace sendhub::pg
