#include "store/sqlite/sqlite_dataset.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <optional>
#include <sstream>
#include <tuple>
#include <vector>

#include "store/sqlite/sqlite_group_copies.h"
#include "store/sqlite/sqlite_link_scope.h"

namespace sendhub::sqlite {
namespace {

std::string kind_number(RecordKind kind) { return std::to_string(static_cast<int>(kind)); }

// A statement and whether it has a row, stepped in lockstep with the others.
struct Cursor {
  Stmt st;
  RecordKind kind;
  Reach reach = Reach::own_rows;
  bool has = false;
};

std::vector<std::string> linked_person_columns() {
  std::vector<std::string> out;
  for (const auto& f : spec(RecordKind::person).fields)
    if (f.name != "person_ref") out.emplace_back(f.name);
  return out;
}

// Both tables read in key order side by side (a merge): the rows that went or differ are
// noted apart, then applied. Sequential reads, and writes only for what changed.
void apply_member_changes(Db& db) {
  db.exec("CREATE TEMP TABLE IF NOT EXISTS member_gone (kind INTEGER, source TEXT, ref TEXT)");
  db.exec("CREATE TEMP TABLE IF NOT EXISTS member_put (kind INTEGER, source TEXT, ref TEXT, grp TEXT, case_key TEXT)");
  {
    const char* cols = "SELECT kind, source, ref, grp, case_key FROM ";
    Stmt old_rows(db, std::string(cols) + "dataset_member ORDER BY kind, source, ref");
    Stmt new_rows(db, std::string(cols) + "temp.member_new ORDER BY kind, source, ref");
    Stmt gone(db, "INSERT INTO temp.member_gone VALUES (?1, ?2, ?3)");
    Stmt put(db, "INSERT INTO temp.member_put VALUES (?1, ?2, ?3, ?4, ?5)");
    using Key = std::tuple<std::int64_t, std::string, std::string>;
    auto key = [](const Stmt& s) { return Key{s.integer(0), s.text(1), s.text(2)}; };
    bool has_old = old_rows.step(), has_new = new_rows.step();
    while (has_old || has_new) {
      const int order = !has_old ? 1 : !has_new ? -1 : key(old_rows) < key(new_rows) ? -1 : key(new_rows) < key(old_rows) ? 1 : 0;
      if (order < 0) {
        gone.reset().bind(1, old_rows.integer(0)).bind(2, old_rows.text(1)).bind(3, old_rows.text(2)).run();
      } else if (order > 0 || old_rows.text(3) != new_rows.text(3) || old_rows.text(4) != new_rows.text(4)) {
        put.reset().bind(1, new_rows.integer(0)).bind(2, new_rows.text(1)).bind(3, new_rows.text(2));
        put.bind(4, new_rows.text(3)).bind(5, new_rows.text(4)).run();
      }
      if (order <= 0) has_old = old_rows.step();
      if (order >= 0) has_new = new_rows.step();
    }
  }
  db.exec("DELETE FROM dataset_member WHERE (kind, source, ref) IN (SELECT kind, source, ref FROM temp.member_gone)");
  db.exec("INSERT OR REPLACE INTO dataset_member SELECT kind, source, ref, grp, COALESCE(case_key, '') FROM temp.member_put");
  db.exec("DELETE FROM temp.member_gone");
  db.exec("DELETE FROM temp.member_put");
}

// The scope's rows as they are, read once into temp.member_old, against those built: the rows
// that went are deleted, those new or changed written (INSERT OR REPLACE). Probing the index
// for every row built, after deleting those that went or changed, read most of its pages twice
// on a night (the changed people are spread over all of them), the second time while the
// deletes' dirty pages crowded the cache.
void apply_scope_changes(Db& db, LinkScope& scope) {
  db.exec("CREATE TEMP TABLE IF NOT EXISTS member_old (kind INTEGER NOT NULL, source TEXT NOT NULL, ref TEXT NOT NULL, "
          "grp TEXT NOT NULL, case_key TEXT NOT NULL, PRIMARY KEY (kind, source, ref)) WITHOUT ROWID");
  db.exec("DELETE FROM temp.member_old");
  scope.old_members("temp.member_old");
  for (const auto& k : kKinds)   // a key fixed by kind: the row value then seeks the whole primary key
    db.exec("DELETE FROM dataset_member WHERE kind = " + kind_number(k.kind) + " AND (source, ref) IN "
            "(SELECT source, ref FROM temp.member_old o WHERE o.kind = " + kind_number(k.kind) + " AND NOT EXISTS "
            "(SELECT 1 FROM temp.member_new n WHERE n.kind = o.kind AND n.source = o.source AND n.ref = o.ref))");
  db.exec("INSERT OR REPLACE INTO dataset_member SELECT kind, source, ref, grp, case_key FROM temp.member_new n "
          "WHERE NOT EXISTS (SELECT 1 FROM temp.member_old o WHERE o.kind = n.kind AND o.source = n.source "
          "AND o.ref = n.ref AND o.grp = n.grp AND o.case_key = n.case_key)");
  db.exec("DELETE FROM temp.member_old");
}

// The rows a table holds at most, read off its last rowid (a count would read the whole table).
std::int64_t rows_at_most(Db& db, const std::string& table) {
  Stmt s(db, "SELECT COALESCE(MAX(rowid), 0) FROM " + table);
  return s.step() ? s.integer(0) : 0;
}

// The rows of the records that hang from a request (`refs_of`: each kind's distinct source and
// request_ref) that a walk cannot reach through their own source's request (MemberChildren). A
// child names its request by reference: in its owner's source (link.request_sources, else its
// own), else the one case anywhere with that reference. That case is looked for only for the
// children whose owner lacks the request (none, in most stores).
void build_child_members(Db& db, const std::string& into, const std::map<std::string, std::string>& request_sources,
                         const std::function<std::string(RecordKind)>& refs_of) {
  const std::string request = kind_number(RecordKind::request);
  db.exec("CREATE TEMP TABLE IF NOT EXISTS request_owner (source TEXT PRIMARY KEY, owner TEXT NOT NULL)");
  db.exec("DELETE FROM temp.request_owner");
  Stmt owner(db, "INSERT INTO temp.request_owner VALUES (?1, ?2)");
  for (const auto& [source, owner_source] : request_sources)
    if (owner_source != source) owner.reset().bind(1, source).bind(2, owner_source).run();
  db.exec("CREATE TEMP TABLE IF NOT EXISTS child_orphan (kind INTEGER, source TEXT, ref TEXT, PRIMARY KEY (kind, source, ref)) "
          "WITHOUT ROWID");
  db.exec("DELETE FROM temp.child_orphan");
  const bool elsewhere = !is_empty(db, "temp.request_owner");
  const std::string owner_of = elsewhere ? "COALESCE((SELECT owner FROM temp.request_owner o WHERE o.source = c.source), c.source)"
                                         : "c.source";
  for (const auto& k : kKinds) {
    if (!hangs_from_request(k.kind)) continue;
    const std::string kind = kind_number(k.kind), refs = refs_of(k.kind) + " c";
    if (elsewhere)   // the owner's request, where it is there
      db.exec("INSERT OR IGNORE INTO " + into + " SELECT " + kind + ", c.source, c.request_ref, m.grp, m.case_key FROM " + refs +
              " CROSS JOIN temp.request_owner o ON o.source = c.source CROSS JOIN " + into + " m ON m.kind = " + request +
              " AND m.source = o.owner AND m.ref = c.request_ref");
    db.exec("INSERT OR IGNORE INTO temp.child_orphan SELECT " + kind + ", c.source, c.request_ref FROM " + refs +
            " WHERE NOT EXISTS (SELECT 1 FROM " + into + " m WHERE m.kind = " + request + " AND m.source = " + owner_of +
            " AND m.ref = c.request_ref)");
  }
  if (is_empty(db, "temp.child_orphan")) return;
  db.exec("CREATE TEMP TABLE IF NOT EXISTS unique_ref (ref TEXT PRIMARY KEY, grp TEXT, case_key TEXT)");
  db.exec("DELETE FROM temp.unique_ref");
  db.exec("INSERT INTO temp.unique_ref SELECT ref, MIN(grp), MIN(case_key) FROM " + into + " WHERE kind = " + request +
          " AND ref IN (SELECT ref FROM temp.child_orphan) GROUP BY ref HAVING COUNT(DISTINCT case_key) = 1");
  db.exec("INSERT OR IGNORE INTO " + into + " SELECT c.kind, c.source, c.ref, u.grp, u.case_key FROM temp.child_orphan c "
          "CROSS JOIN temp.unique_ref u ON u.ref = c.ref");
  db.exec("DELETE FROM temp.unique_ref");
  db.exec("DELETE FROM temp.child_orphan");
}

// Every member row into `into` (temp.member_new, or on a first linking dataset_member itself).
void build_members(Db& db, const std::string& into, const std::map<std::string, std::string>& request_sources,
                   LinkScope* scope) {
  const bool narrowed = scope && scope->narrowed();
  auto links = [&](const std::string& table) { return narrowed ? table + " WHERE " + scope->within(table) : table; };
  const std::string person = kind_number(RecordKind::person), request = kind_number(RecordKind::request);
  db.exec("INSERT INTO " + into + " SELECT " + person + ", source, person_ref, person_key, '' FROM " + links("person_link"));
  // The request links are in the order linking wrote them (by person), not by their key.
  const bool sort = !narrowed && outgrows_cache(db, into, rows_at_most(db, "person_link") + rows_at_most(db, "request_link"));
  db.exec("INSERT INTO " + into + " SELECT " + request + ", source, request_ref, CASE WHEN person_key <> '' "
          "THEN person_key ELSE 'case:' || case_key END, case_key FROM " + links("request_link") +
          (sort ? " ORDER BY +source, +request_ref" : ""));
  build_child_members(db, into, request_sources, [&](RecordKind kind) {
    const std::string table(spec(kind).name), ref = ref_column(kind);
    return narrowed ? scope->child_refs(table, ref) : "(SELECT DISTINCT source, " + ref + " AS request_ref FROM " + table + ")";
  });
  // A census pupil's rows follow its own person record into that person's group.
  for (const auto& k : kKinds) {
    if (!hangs_from_person(k.kind)) continue;
    const std::string table(k.name);
    db.exec("INSERT OR IGNORE INTO " + into + " SELECT " + kind_number(k.kind) + ", m.source, m.ref, m.grp, '' FROM " +
            into + " m WHERE m.kind = " + person + " AND EXISTS (SELECT 1 FROM " + table +
            " c WHERE c.source = m.source AND c.person_ref = m.ref)");
  }
  db.exec("INSERT INTO " + into + " SELECT " + kind_number(RecordKind::advice) + ", a.source, a.advice_ref, "
          "CASE WHEN a.person_key <> '' THEN a.person_key WHEN r.case_key IS NOT NULL THEN 'case:' || r.case_key "
          "ELSE 'advice:' || a.source || '|' || a.advice_ref END, COALESCE(r.case_key, '') FROM " +
          (narrowed ? "temp.scope_advice sa CROSS JOIN advice_link a ON a.source = sa.source AND a.advice_ref = sa.advice_ref"
                    : std::string("advice_link a")) +
          " LEFT JOIN request_link r ON r.source = a.request_source AND r.request_ref = a.request_ref");
}

}  // namespace

// dataset_state "member_children": the sources that hang their children from another's
// requests, as a JSON array of strings (the key's presence says the walk reaches the rest
// through their requests).
MemberChildren MemberChildren::of(const std::map<std::string, std::string>& request_sources) {
  MemberChildren c;
  for (const auto& [source, owner] : request_sources)
    if (owner != source) c.owned_elsewhere.push_back(source);
  return c;
}

MemberChildren MemberChildren::of(Db& db) {
  MemberChildren c;
  const std::string note = dataset_value(db, "member_children");   // never "" once written: "[]" at least
  c.through_requests = !note.empty();
  if (!c.through_requests) return c;
  try {
    const Poco::JSON::Array::Ptr sources = Poco::JSON::Parser().parse(note).extract<Poco::JSON::Array::Ptr>();
    for (std::size_t i = 0; sources && i < sources->size(); ++i)
      c.owned_elsewhere.push_back(sources->get(static_cast<unsigned>(i)).extract<std::string>());
    if (sources) return c;
  } catch (const Poco::Exception&) {
  }
  throw Error(Where{}, "member_children", "store.state", "the store's note of how children are indexed is damaged");
}

void MemberChildren::save(Db& db) const {
  Poco::JSON::Array sources;
  for (const auto& source : owned_elsewhere) sources.add(source);
  std::ostringstream value;
  sources.stringify(value);
  Stmt set(db, "INSERT OR REPLACE INTO dataset_state(key, value) VALUES ('member_children', ?1)");
  set.bind_text(1, value.str()).run();
}

// Rows written in no order of the table's key read and write back a page each once the table
// outgrows the cache, and sorting them first costs less: the requests' rows at 1,000,000
// children 37 -> 12 s, at 100,000 1.06 -> 0.66 s; where they fit (a council, the demo at
// 10,000) a sort only adds to it (+7 and +15 ms).
bool outgrows_cache(Db& db, const std::string& into, std::int64_t rows) {
  constexpr std::int64_t kRowBytes = 80;   // a member row with its share of a page (179 MB / 2.19 million rows)
  const std::string schema = into.rfind("temp.", 0) == 0 ? "temp." : "main.";
  Stmt size(db, "PRAGMA " + schema + "cache_size"), page(db, "PRAGMA " + schema + "page_size");
  const std::int64_t cache = size.step() ? size.integer(0) : 0, page_bytes = page.step() ? page.integer(0) : 0;
  return rows * kRowBytes > (cache < 0 ? -cache * 1024 : cache * page_bytes);
}

void index_dataset(Db& db, const std::map<std::string, std::string>& request_sources, LinkScope* scope) {
  const bool narrowed = scope && scope->narrowed();
  MemberChildren::of(request_sources).save(db);
  // The first linking writes the index itself, its secondary index built once after (copying
  // it from a table built apart took 26 ms of a council's 0.38 s of linking).
  if (!narrowed && is_empty(db, "dataset_member")) {
    bulk_load(db, "dataset_member", [&] { build_members(db, "dataset_member", request_sources, scope); });
    return;
  }
  // Built apart, then only the rows that differ are written (an unchanged relink writes
  // nothing, and a small change writes little).
  db.exec("CREATE TEMP TABLE IF NOT EXISTS member_new (kind INTEGER NOT NULL, source TEXT NOT NULL, ref TEXT NOT NULL, "
          "grp TEXT NOT NULL, case_key TEXT NOT NULL, PRIMARY KEY (kind, source, ref)) WITHOUT ROWID");
  db.exec("DELETE FROM temp.member_new");
  build_members(db, "temp.member_new", request_sources, scope);
  if (narrowed) {   // only the scope's rows were built: they replace the scope's rows, where they differ
    drop_copies_of(db, "SELECT grp FROM temp.member_new");
    apply_scope_changes(db, *scope);
  } else {
    apply_member_changes(db);
  }
  db.exec("DELETE FROM temp.member_new");
}

std::string dataset_value(Db& db, std::string_view key) {
  Stmt s(db, "SELECT value FROM dataset_state WHERE key = ?1");
  s.bind(1, key);
  return s.step() ? s.text(0) : "";
}

// CROSS JOIN fixes the join order: the groups in order, each looked up by index, no sort. A
// child is reached through its own row, or through its request's row in its own source unless
// that source's children hang from another's requests.
std::string group_cursor_sql(RecordKind kind, const std::string& order_table, Reach reach,
                             const std::vector<std::string>& owned_elsewhere) {
  const std::string own = kind_number(kind), request = kind_number(RecordKind::request);
  const std::string kinds = reach == Reach::own_rows   ? "= " + own
                            : reach == Reach::requests ? "= " + request
                                                       : "IN (" + request + ", " + own + ")";
  std::string elsewhere;
  for (const auto& source : owned_elsewhere) elsewhere += (elsewhere.empty() ? "" : ", ") + quoted(source);
  const bool filtered = reach != Reach::own_rows && !elsewhere.empty();
  return "SELECT o.pos, m.case_key, " + record_columns(kind, "r") + " FROM " + order_table +
         " o CROSS JOIN dataset_member m ON m.grp = o.grp AND m.kind " + kinds + " CROSS JOIN " +
         std::string(spec(kind).name) + " r ON r.source = m.source AND r." + ref_column(kind) + " = m.ref" +
         (filtered ? " WHERE m.kind = " + own + " OR m.source NOT IN (" + elsewhere + ")" : "") + " ORDER BY o.pos";
}

namespace {

// A kind's records of one group as a row of its own for each child would give them: by case,
// source and request (a child reached through its request's row comes before those with rows).
void order_children(std::vector<Record>& records, std::size_t from, RecordKind kind) {
  const auto ref = static_cast<std::size_t>(field_index(kind, "request_ref"));
  auto key = [ref](const Record& r) { return std::tie(r.case_key, r.source, r.at(ref)); };
  auto before = [&](const Record& a, const Record& b) { return key(a) < key(b); };
  const auto first = records.begin() + static_cast<std::ptrdiff_t>(from);
  if (!std::is_sorted(first, records.end(), before)) std::stable_sort(first, records.end(), before);
}

// How a walk reaches `kind`'s records, if the dataset holds any: a kind's cursor seeks each
// group's members of it, found or not (a council with no census or advice: 15 ms each of a
// first walk's 0.3 s).
std::optional<Reach> reach_of(Db& db, Stmt& rows, RecordKind kind, const MemberChildren& children) {
  const bool own_rows = rows.reset().bind(1, std::int64_t{static_cast<int>(kind)}).step() && rows.integer(0) == 1;
  rows.reset();
  if (!children.through_requests || !hangs_from_request(kind)) return own_rows ? std::optional(Reach::own_rows) : std::nullopt;
  if (is_empty(db, std::string(spec(kind).name))) return std::nullopt;
  return own_rows ? Reach::both : Reach::requests;
}

}  // namespace

void walk_groups(Db& db, const std::string& order_table, const std::function<void(StoredGroup&)>& visit) {
  std::vector<Cursor> cursors;
  const MemberChildren children = MemberChildren::of(db);
  // Only the kinds the dataset holds: a kind's cursor seeks each group's members of it, found
  // or not (a council with no census or advice: 15 ms each of a first walk's 0.3 s).
  Stmt rows(db, "SELECT EXISTS (SELECT 1 FROM dataset_member WHERE kind = ?1)");
  for (const auto& k : kKinds)
    if (const auto reach = k.kind == RecordKind::la_return ? std::nullopt : reach_of(db, rows, k.kind, children))
      cursors.push_back({Stmt(db, group_cursor_sql(k.kind, order_table, *reach, children.owned_elsewhere)), k.kind, *reach});
  const auto columns = linked_person_columns();
  std::string select;
  for (const auto& c : columns) select += "p." + c + ", ";
  Stmt people(db, "SELECT o.pos, " + select + "p.origins FROM " + order_table + " o CROSS JOIN linked_person p "
                  "ON p.person_key = o.grp ORDER BY o.pos");
  bool person_row = people.step();
  for (auto& c : cursors) c.has = c.st.step();
  Stmt order(db, "SELECT pos, grp FROM " + order_table + " ORDER BY pos");
  while (order.step()) {
    const std::int64_t pos = order.integer(0);
    StoredGroup g;
    g.key = order.text(1);
    if (person_row && people.integer(0) == pos) {
      LinkedPerson p{g.key, {}, people.text(static_cast<int>(columns.size()) + 1)};
      for (std::size_t i = 0; i < columns.size(); ++i) p.values.push_back(people.text(static_cast<int>(i) + 1));
      g.person = std::move(p);
      person_row = people.step();
    }
    for (auto& c : cursors) {
      const std::size_t from = g.records.size();
      for (; c.has && c.st.integer(0) == pos; c.has = c.st.step()) {
        g.records.push_back(read_record(c.st, c.kind, 2));
        g.records.back().case_key = c.st.text(1);
      }
      if (c.reach == Reach::both) order_children(g.records, from, c.kind);
    }
    visit(g);
  }
}

void each_group_from_tables(Db& db, int order_year, const std::function<void(StoredGroup&)>& visit) {
  ReadTransaction read(db);
  order_groups(db, order_year);
  walk_groups(db, "temp.dataset_order", visit);
}

void each_group_key(Db& db, int order_year, const std::function<void(const std::string&)>& visit) {
  ReadTransaction read(db);
  order_groups(db, order_year);
  Stmt order(db, "SELECT grp FROM temp.dataset_order ORDER BY pos");
  while (order.step()) visit(order.text(0));
}

// No read transaction: validation saves its issues in batches while the cursors are open
// (the run lock keeps other writers out).
void each_return_person(Db& db, int year, const std::function<void(std::vector<Record>&)>& visit) {
  Stmt persons(db, "SELECT source, person_ref, " + record_columns(RecordKind::person, "p") +
                       " FROM person p WHERE return_year = ?1 ORDER BY source, person_ref");
  persons.bind(1, static_cast<std::int64_t>(year));
  std::vector<Cursor> cursors;
  for (const auto& k : kKinds) {
    if (k.kind != RecordKind::request && !hangs_from_request(k.kind)) continue;
    const std::string table(k.name);
    Stmt st = k.kind == RecordKind::request
                  ? Stmt(db, "SELECT source, person_ref, " + record_columns(k.kind, "r") +
                                 " FROM request r WHERE return_year = ?1 ORDER BY source, person_ref, line, rkey")
                  : Stmt(db, "SELECT q.source, q.person_ref, " + record_columns(k.kind, "r") + " FROM request q JOIN " +
                                 table + " r ON r.source = q.source AND r." + ref_column(k.kind) + " = q.request_ref AND "
                                 "r.return_year = ?1 WHERE q.return_year = ?1 ORDER BY q.source, q.person_ref, q.line, q.rkey");
    st.bind(1, static_cast<std::int64_t>(year));
    cursors.push_back({std::move(st), k.kind});
  }
  for (auto& c : cursors) c.has = c.st.step();
  // Requests of a person_ref with no person record of the year are skipped, as before.
  auto behind = [](const Stmt& st, const std::string& source, const std::string& ref) {
    const std::string s = st.text(0);
    return s < source || (s == source && st.text(1) < ref);
  };
  while (persons.step()) {
    const std::string source = persons.text(0), ref = persons.text(1);
    std::vector<Record> group{read_record(persons, RecordKind::person, 2)};
    for (auto& c : cursors) {
      while (c.has && behind(c.st, source, ref)) c.has = c.st.step();
      for (; c.has && c.st.text(0) == source && c.st.text(1) == ref; c.has = c.st.step())
        group.push_back(read_record(c.st, c.kind, 2));
    }
    visit(group);
  }
}

}  // namespace sendhub::sqlite
