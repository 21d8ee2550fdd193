#include "store/sqlite/sqlite_link_scope.h"

#include "store/sqlite/sqlite_dataset.h"

namespace sendhub::sqlite {
namespace {

// Giving up on narrowing: a scope this big costs more to follow than linking everything.
constexpr std::int64_t kSmallScope = 1000;

std::string number(RecordKind kind) { return std::to_string(static_cast<int>(kind)); }

const std::string kP = number(RecordKind::person), kR = number(RecordKind::request), kA = number(RecordKind::advice);

// Each statement adds to the scope what one kind of connection reaches from it. CROSS JOIN
// keeps the scope's table the outer loop: the temporary tables have no statistics, and
// SQLite would otherwise scan a record table and probe the scope for each row. A row added
// in a round carries the round's number (?1), and the next round follows only the rows the
// last one added (?2): every row is followed once by every statement, where following the
// whole scope again each round probed the record tables' indexes for every row once more
// (semi-naive evaluation, as a recursive query does).
const char* const kGrow[] = {
    // Person records sharing a key with one in scope (the last linking's keys).
    "INSERT OR IGNORE INTO temp.scope_person SELECT b.source, b.person_ref, ?1 FROM temp.scope_person s "
    "CROSS JOIN person_match a ON a.source = s.source AND a.person_ref = s.person_ref "
    "CROSS JOIN person_match b ON b.slot = a.slot AND b.key = a.key WHERE s.round = ?2",
    // The people requests in scope were linked to, and those they name now.
    "INSERT OR IGNORE INTO temp.scope_person SELECT p.source, p.person_ref, ?1 FROM temp.scope_request s "
    "CROSS JOIN request_link l ON l.source = s.source AND l.request_ref = s.request_ref "
    "CROSS JOIN person_link p ON p.person_key = l.person_key WHERE s.round = ?2",
    "INSERT OR IGNORE INTO temp.scope_person SELECT COALESCE(o.owner, r.source), r.person_ref, ?1 FROM temp.scope_request s "
    "CROSS JOIN request r ON r.source = s.source AND r.rkey = s.request_ref LEFT JOIN temp.link_owner o ON o.source = r.source "
    "WHERE s.round = ?2 AND r.person_ref IS NOT NULL",
    // The people advice in scope was linked to, and those holding its NHS number.
    "INSERT OR IGNORE INTO temp.scope_person SELECT p.source, p.person_ref, ?1 FROM temp.scope_advice s "
    "CROSS JOIN advice_link l ON l.source = s.source AND l.advice_ref = s.advice_ref "
    "CROSS JOIN person_link p ON p.person_key = l.person_key WHERE s.round = ?2",
    "INSERT OR IGNORE INTO temp.scope_person SELECT p.source, p.person_ref, ?1 FROM temp.scope_advice s "
    "CROSS JOIN advice_match a ON a.source = s.source AND a.advice_ref = s.advice_ref AND a.slot = 0 "
    "CROSS JOIN person_match p ON p.slot = -2 AND p.key = a.key WHERE s.round = ?2",
    // Requests linked to a person in scope, and unlinked ones naming one.
    "INSERT OR IGNORE INTO temp.scope_request SELECT l.source, l.request_ref, ?1 FROM temp.scope_person s "
    "CROSS JOIN person_link p ON p.source = s.source AND p.person_ref = s.person_ref "
    "CROSS JOIN request_link l ON l.person_key = p.person_key WHERE s.round = ?2",
    "INSERT OR IGNORE INTO temp.scope_request SELECT l.source, l.request_ref, ?1 FROM request_link l "
    "CROSS JOIN request r ON r.source = l.source AND r.rkey = l.request_ref LEFT JOIN temp.link_owner o ON o.source = r.source "
    "CROSS JOIN temp.scope_person s ON s.source = COALESCE(o.owner, r.source) AND s.person_ref = r.person_ref "
    "WHERE l.person_key IS NULL AND s.round = ?2",
    // The references of requests in scope, and those advice in scope names.
    "INSERT OR IGNORE INTO temp.scope_ref SELECT request_ref, ?1 FROM temp.scope_request WHERE round = ?2",
    "INSERT OR IGNORE INTO temp.scope_ref SELECT a.key, ?1 FROM temp.scope_advice s "
    "CROSS JOIN advice_match a ON a.source = s.source AND a.advice_ref = s.advice_ref AND a.slot = 1 WHERE s.round = ?2",
    // Advice linked to a person in scope, naming a reference in scope, or holding the NHS
    // number of a person in scope.
    "INSERT OR IGNORE INTO temp.scope_advice SELECT l.source, l.advice_ref, ?1 FROM temp.scope_person s "
    "CROSS JOIN person_link p ON p.source = s.source AND p.person_ref = s.person_ref "
    "CROSS JOIN advice_link l ON l.person_key = p.person_key WHERE s.round = ?2",
    "INSERT OR IGNORE INTO temp.scope_advice SELECT a.source, a.advice_ref, ?1 FROM temp.scope_ref x "
    "CROSS JOIN advice_match a ON a.slot = 1 AND a.key = x.ref WHERE x.round = ?2",
    "INSERT OR IGNORE INTO temp.scope_advice SELECT a.source, a.advice_ref, ?1 FROM temp.scope_person s "
    "CROSS JOIN person_match p ON p.source = s.source AND p.person_ref = s.person_ref AND p.slot = -2 "
    "CROSS JOIN advice_match a ON a.slot = 0 AND a.key = p.key WHERE s.round = ?2",
};

}  // namespace

std::vector<std::string> sources_of(Db& db, const std::string& table, const std::string& where) {
  // One index step per source (a skip scan), where SELECT DISTINCT would read every row.
  const std::string cond = where.empty() ? "" : where + " AND ";
  Stmt s(db, "WITH RECURSIVE s(x) AS (SELECT (SELECT MIN(source) FROM " + table + (where.empty() ? "" : " WHERE " + where) +
                 ") UNION ALL SELECT (SELECT MIN(source) FROM " + table + " WHERE " + cond +
                 "source > s.x) FROM s WHERE s.x IS NOT NULL) SELECT x FROM s WHERE x IS NOT NULL");
  std::vector<std::string> out;
  while (s.step()) out.push_back(s.text(0));
  return out;
}

LinkScope::LinkScope(Db& db) : db_(db) {
  for (const char* t : {"scope_person", "scope_request", "scope_advice", "scope_ref", "scope_key", "probe_person",
                        "probe_advice", "link_adv_key"})
    db_.exec("DROP TABLE IF EXISTS temp." + std::string(t));
  db_.exec("CREATE TEMP TABLE scope_person (source TEXT, person_ref TEXT, round INTEGER NOT NULL DEFAULT 0, "
           "PRIMARY KEY (source, person_ref)) WITHOUT ROWID");
  db_.exec("CREATE TEMP TABLE scope_request (source TEXT, request_ref TEXT, round INTEGER NOT NULL DEFAULT 0, "
           "PRIMARY KEY (source, request_ref)) WITHOUT ROWID");
  db_.exec("CREATE TEMP TABLE scope_advice (source TEXT, advice_ref TEXT, round INTEGER NOT NULL DEFAULT 0, "
           "PRIMARY KEY (source, advice_ref)) WITHOUT ROWID");
  db_.exec("CREATE TEMP TABLE scope_ref (ref TEXT PRIMARY KEY, round INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID");
  db_.exec("CREATE TEMP TABLE scope_key (person_key TEXT PRIMARY KEY) WITHOUT ROWID");
  db_.exec("CREATE TEMP TABLE probe_person (slot INTEGER, key TEXT, PRIMARY KEY (slot, key)) WITHOUT ROWID");
  db_.exec("CREATE TEMP TABLE probe_advice (slot INTEGER, key TEXT, PRIMARY KEY (slot, key)) WITHOUT ROWID");
  db_.exec("CREATE TEMP TABLE link_adv_key (slot INTEGER, key TEXT, source TEXT, advice_ref TEXT)");
  probe_person_ = Stmt(db_, "INSERT OR IGNORE INTO temp.probe_person VALUES (?1, ?2)");
  probe_advice_ = Stmt(db_, "INSERT OR IGNORE INTO temp.probe_advice VALUES (?1, ?2)");
  advice_key_ = Stmt(db_, "INSERT INTO temp.link_adv_key VALUES (?1, ?2, ?3, ?4)");
}

bool LinkScope::knows_changes() { return dataset_value(db_, "link_changes") == "tracked"; }

void LinkScope::each_changed(const std::function<void(const Record&)>& visit) {
  for (RecordKind kind : {RecordKind::person, RecordKind::advice}) {
    const std::string table(spec(kind).name);
    Stmt s(db_, "SELECT " + record_columns(kind, "r", Extras::skipped) + " FROM link_changes c CROSS JOIN " + table +
                    " r ON r.source = c.source AND r.rkey = c.ref WHERE c.kind = " + number(kind) + " ORDER BY r.source, r.rkey");
    while (s.step()) visit(read_record(s, kind, 0));
  }
}

void LinkScope::add_changed_person(const LinkNode& node) {
  auto probe = [&](int slot, const std::string& key) {
    if (!key.empty()) probe_person_.reset().bind(1, static_cast<std::int64_t>(slot)).bind(2, key).run();
  };
  for (std::size_t i = 0; i < node.keys.size(); ++i) probe(static_cast<int>(i), node.keys[i]);
  probe(kBestSlot, node.best);
  probe(kNhsSlot, node.nhs_number);
}

void LinkScope::add_changed_advice(const Record& advice, const std::string& nhs_number) {
  if (!nhs_number.empty()) probe_advice_.reset().bind(1, std::int64_t{0}).bind(2, nhs_number).run();
  const std::string& ref = advice.get("request_ref");
  if (!ref.empty()) probe_advice_.reset().bind(1, std::int64_t{1}).bind(2, ref).run();
}

void LinkScope::add_advice_keys(const Record& advice, const std::string& nhs_number) {
  const std::string& ref = advice.get("advice_ref");
  if (!nhs_number.empty()) advice_key_.reset().bind(1, std::int64_t{0}).bind(2, nhs_number).bind(3, advice.source).bind(4, ref).run();
  const std::string& request_ref = advice.get("request_ref");
  if (!request_ref.empty())
    advice_key_.reset().bind(1, std::int64_t{1}).bind(2, request_ref).bind(3, advice.source).bind(4, ref).run();
}

std::int64_t LinkScope::count(const std::string& table) {
  return count_rows(db_, table);
}

std::int64_t LinkScope::narrow() {
  const std::string changed = "SELECT source, ref FROM link_changes WHERE kind = ";
  db_.exec("INSERT OR IGNORE INTO temp.scope_person (source, person_ref) " + changed + kP);
  db_.exec("INSERT OR IGNORE INTO temp.scope_request (source, request_ref) " + changed + kR);
  db_.exec("INSERT OR IGNORE INTO temp.scope_advice (source, advice_ref) " + changed + kA);
  db_.exec("INSERT OR IGNORE INTO temp.scope_ref (ref) SELECT ref FROM link_changes WHERE kind NOT IN (" + kP + ", " + kR + ", " + kA + ")");
  // What the changed records' new keys reach.
  db_.exec("INSERT OR IGNORE INTO temp.scope_person (source, person_ref) SELECT b.source, b.person_ref FROM temp.probe_person p "
           "CROSS JOIN person_match b ON b.slot = p.slot AND b.key = p.key");
  db_.exec("INSERT OR IGNORE INTO temp.scope_advice (source, advice_ref) SELECT a.source, a.advice_ref FROM temp.probe_person p "
           "CROSS JOIN advice_match a ON a.slot = 0 AND a.key = p.key WHERE p.slot = -2");
  db_.exec("INSERT OR IGNORE INTO temp.scope_person (source, person_ref) SELECT b.source, b.person_ref FROM temp.probe_advice p "
           "CROSS JOIN person_match b ON b.slot = -2 AND b.key = p.key WHERE p.slot = 0");
  db_.exec("INSERT OR IGNORE INTO temp.scope_ref (ref) SELECT key FROM temp.probe_advice WHERE slot = 1");
  const std::int64_t people = count("person_link");
  std::int64_t in_scope = 0;
  while (grow() > 0) {
    in_scope = count("temp.scope_person");
    if (in_scope > kSmallScope && in_scope * 2 > people) return -1;
  }
  in_scope = count("temp.scope_person");
  db_.exec("INSERT OR IGNORE INTO temp.scope_key SELECT p.person_key FROM temp.scope_person s "
           "CROSS JOIN person_link p ON p.source = s.source AND p.person_ref = s.person_ref");
  narrowed_ = true;
  return in_scope;
}

std::int64_t LinkScope::grow() {
  const std::int64_t last = round_++;
  std::int64_t added = 0;
  auto run = [&](Stmt& st) {
    st.reset().bind(1, round_).bind(2, last).run();
    added += db_.changes();
  };
  if (grow_.empty()) {   // prepared once for every round: no source comes or goes while the scope grows
    for (const char* sql : kGrow) grow_.emplace_back(db_, sql);
    // Every request with a reference in scope, whichever source holds it.
    for (const auto& source : sources_of(db_, "request"))
      grow_.emplace_back(db_, "INSERT OR IGNORE INTO temp.scope_request SELECT r.source, r.rkey, ?1 FROM temp.scope_ref x "
                              "CROSS JOIN request r ON r.source = " + quoted(source) + " AND r.rkey = x.ref WHERE x.round = ?2");
  }
  for (auto& st : grow_) run(st);
  return added;
}

std::string LinkScope::from(RecordKind kind, const std::string& alias) const {
  const std::string table(spec(kind).name);
  if (!narrowed_) return table + " " + alias;
  const std::string scope = kind == RecordKind::person ? "scope_person" : kind == RecordKind::request ? "scope_request" : "scope_advice";
  const std::string ref = kind == RecordKind::person ? "person_ref" : kind == RecordKind::request ? "request_ref" : "advice_ref";
  return "temp." + scope + " in_scope CROSS JOIN " + table + " " + alias + " ON " + alias + ".source = in_scope.source AND " +
         alias + ".rkey = in_scope." + ref;
}

std::string LinkScope::within(const std::string& link_table) const {
  if (link_table == "person_link") return "(source, person_ref) IN (SELECT source, person_ref FROM temp.scope_person)";
  if (link_table == "request_link") return "(source, request_ref) IN (SELECT source, request_ref FROM temp.scope_request)";
  if (link_table == "advice_link") return "(source, advice_ref) IN (SELECT source, advice_ref FROM temp.scope_advice)";
  return "person_key IN (SELECT person_key FROM temp.scope_key)";   // linked_person, link_conflicts
}

void LinkScope::keep_keys(std::size_t rules) {
  std::string keys;
  auto slot = [&](int n, const std::string& column) {
    keys += std::string(keys.empty() ? "" : " UNION ALL ") + "SELECT " + std::to_string(n) + ", " + column +
            ", source, person_ref FROM temp.link_node WHERE " + column + " IS NOT NULL";
  };
  for (std::size_t i = 0; i < rules; ++i) slot(static_cast<int>(i), "k" + std::to_string(i));
  slot(kBestSlot, "best");
  slot(kNhsSlot, "nhs");
  if (narrowed_) return keep_scope_keys(keys);
  db_.exec("DELETE FROM person_match");
  db_.exec("DELETE FROM advice_match");
  bulk_load(db_, "person_match", [&] { db_.exec("INSERT OR IGNORE INTO person_match " + keys + " ORDER BY 1, 2, 3, 4"); });
  db_.exec("INSERT OR IGNORE INTO advice_match SELECT slot, key, source, advice_ref FROM temp.link_adv_key ORDER BY 1, 2, 3, 4");
}

// Only the scope's keys that went are deleted, and only new ones inserted (INSERT OR IGNORE
// skips a row already there without writing it). Deleting all of the scope's keys and
// inserting them back touched most of the tables' pages on a night, the changed people being
// spread over all of them: every such page went to the WAL.
void LinkScope::keep_scope_keys(const std::string& keys) {
  db_.exec("CREATE TEMP TABLE IF NOT EXISTS match_new (slot INTEGER, key TEXT, source TEXT, person_ref TEXT, "
           "PRIMARY KEY (slot, key, source, person_ref)) WITHOUT ROWID");
  db_.exec("DELETE FROM temp.match_new");
  db_.exec("INSERT OR IGNORE INTO temp.match_new " + keys);
  db_.exec("DELETE FROM person_match WHERE (source, person_ref) IN (SELECT source, person_ref FROM temp.scope_person) "
           "AND NOT EXISTS (SELECT 1 FROM temp.match_new n WHERE n.slot = person_match.slot AND n.key = person_match.key "
           "AND n.source = person_match.source AND n.person_ref = person_match.person_ref)");
  db_.exec("INSERT OR IGNORE INTO person_match SELECT slot, key, source, person_ref FROM temp.match_new");
  db_.exec("DELETE FROM temp.match_new");
  db_.exec("CREATE INDEX IF NOT EXISTS temp.link_adv_key_all ON link_adv_key(source, advice_ref, slot, key)");
  db_.exec("DELETE FROM advice_match WHERE (source, advice_ref) IN (SELECT source, advice_ref FROM temp.scope_advice) "
           "AND NOT EXISTS (SELECT 1 FROM temp.link_adv_key n WHERE n.source = advice_match.source "
           "AND n.advice_ref = advice_match.advice_ref AND n.slot = advice_match.slot AND n.key = advice_match.key)");
  db_.exec("INSERT OR IGNORE INTO advice_match SELECT slot, key, source, advice_ref FROM temp.link_adv_key ORDER BY 1, 2, 3, 4");
}

std::string LinkScope::child_refs(const std::string& table, const std::string& ref_column) {
  if (!narrowed_) return "(SELECT DISTINCT source, " + ref_column + " AS request_ref FROM " + table + ")";
  std::string parts;
  for (const auto& source : sources_of(db_, table))
    parts += std::string(parts.empty() ? "" : " UNION ALL ") + "SELECT DISTINCT source, " + ref_column + " AS request_ref FROM " +
             table + " WHERE source = " + quoted(source) + " AND " + ref_column + " IN (SELECT ref FROM temp.scope_ref)";
  return "(" + (parts.empty() ? "SELECT NULL AS source, NULL AS request_ref WHERE 0" : parts) + ")";
}

// The index rows of every record in scope, as the last linking left them: index_dataset
// compares them with those it built, so that a row it finds as it was is not written again.
void LinkScope::old_members(const std::string& into) {
  auto take = [&](const std::string& kind, const std::string& where) {
    db_.exec("INSERT INTO " + into + " SELECT kind, source, ref, grp, case_key FROM dataset_member WHERE kind = " + kind +
             " AND " + where);
  };
  auto in_scope = [](const std::string& scope, const std::string& ref) {
    return "(source, ref) IN (SELECT source, " + ref + " FROM temp." + scope + ")";
  };
  take(kP, in_scope("scope_person", "person_ref"));
  for (const auto& k : kKinds)
    if (hangs_from_person(k.kind)) take(number(k.kind), in_scope("scope_person", "person_ref"));
  take(kR, in_scope("scope_request", "request_ref"));
  take(kA, in_scope("scope_advice", "advice_ref"));
  for (const auto& k : kKinds) {
    if (!hangs_from_request(k.kind)) continue;
    const std::string kind = number(k.kind);
    for (const auto& source : sources_of(db_, "dataset_member", "kind = " + kind))
      take(kind, "source = " + quoted(source) + " AND ref IN (SELECT ref FROM temp.scope_ref)");
  }
}

}  // namespace sendhub::sqlite
