#include "store/sqlite/sqlite_parts.h"

#include <algorithm>

#include "store/sqlite/sqlite_dataset.h"
#include "store/sqlite/sqlite_group_copies.h"

namespace sendhub::sqlite {
namespace {

// The sink's parts were derived under `mark`, or are deleted and will be.
void settle_mark(Db& db, const std::string& sink, const std::string& mark) {
  const std::string key = "parts:" + sink;
  if (dataset_value(db, key) == mark) return;
  Stmt drop(db, "DELETE FROM sink_part WHERE sink = ?1");
  drop.bind_text(1, sink).run();
  Stmt set(db, "INSERT OR REPLACE INTO dataset_state(key, value) VALUES (?1, ?2)");
  set.bind_text(1, key).bind_text(2, mark).run();
}

// Every group of the order table without a part of the sink gets one: from what the caller
// holds, else from its copy where it has one (a walk of this run kept it), else from the record
// tables.
void derive_missing(Db& db, const std::string& sink, const std::string& order, const Derive& derive) {
  db.exec("CREATE TEMP TABLE IF NOT EXISTS part_missing (pos INTEGER PRIMARY KEY, grp TEXT NOT NULL)");
  db.exec("DELETE FROM temp.part_missing");
  Stmt find(db, "INSERT INTO temp.part_missing SELECT pos, grp FROM " + order + " o "
                "WHERE NOT EXISTS (SELECT 1 FROM sink_part p WHERE p.grp = o.grp AND p.sink = ?1)");
  find.bind_text(1, sink).run();
  if (db.changes() == 0) return;
  Stmt put(db, "INSERT INTO sink_part(grp, sink, bytes) VALUES (?1, ?2, ?3)");
  auto keep = [&](const std::string& key, std::string_view bytes) {
    put.reset().bind_text(1, key).bind_text(2, sink).bind_blob(3, bytes).run();
  };
  {
    Stmt missing(db, "SELECT grp FROM temp.part_missing ORDER BY pos");
    while (missing.step()) {
      const std::string key = missing.text(0);
      if (auto part = derive.held(key)) keep(key, *part);
    }
  }
  Stmt done(db, "DELETE FROM temp.part_missing WHERE EXISTS (SELECT 1 FROM sink_part p WHERE p.grp = part_missing.grp "
                "AND p.sink = ?1)");
  done.bind_text(1, sink).run();
  {
    Stmt copied(db, "SELECT m.grp, c.bytes FROM temp.part_missing m CROSS JOIN group_copy c ON c.grp = m.grp ORDER BY m.pos");
    while (copied.step()) keep(copied.text(0), derive.read(copied.blob_view(1)));
  }
  db.exec("DELETE FROM temp.part_missing WHERE grp IN (SELECT grp FROM group_copy)");
  walk_groups(db, "temp.part_missing", [&](StoredGroup& g) { keep(g.key, derive.read(derive.copies.make(g))); });
  db.exec("DELETE FROM temp.part_missing");
}

// The sink's own order table: another sink's walk may order the groups while this one's parts
// are read in pieces (each_part).
std::string order_table(const std::string& sink) {
  std::string quoted = "\"parts order of ";
  for (const char c : sink) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

}  // namespace

bool each_part(Db& db, const std::string& sink, const std::string& mark, int order_year, const Derive& derive,
               const std::function<void(std::string_view)>& use) {
  const std::optional<std::int64_t> linked = links_current(db);
  if (!linked || !copies_describe(db, *linked)) return false;
  const std::string table = order_table(sink), order = "temp." + table;
  in_transaction(db, [&] {
    settle_copies(db, *linked, derive.copies.mark);
    settle_mark(db, sink, mark);
    order_groups(db, order_year, table, true);
    derive_missing(db, sink, order, derive);
  });
  // Read in pieces, no statement open while `use` runs: the caller may let other threads use
  // the connection then (sinks run side by side, pipeline/run.cpp). Nothing they do touches
  // this sink's parts or its order table.
  constexpr std::int64_t kPiece = 256;
  Stmt parts(db, "SELECT o.pos, p.bytes FROM " + order + " o LEFT JOIN sink_part p ON p.grp = o.grp AND p.sink = ?1 "
                 "WHERE o.pos > ?2 ORDER BY o.pos LIMIT " + std::to_string(kPiece));
  std::vector<std::string> piece;
  for (std::int64_t after = 0;;) {
    piece.clear();
    parts.reset().bind_text(1, sink).bind(2, after);
    while (parts.step()) {
      if (parts.is_null(1)) throw Error(Where{}, "", "store.copy", "a sink's part went missing during the walk");
      after = parts.integer(0);
      piece.emplace_back(parts.blob_view(1));
    }
    parts.reset();
    for (const auto& p : piece) use(p);
    if (static_cast<std::int64_t>(piece.size()) < kPiece) break;
  }
  db.exec("DELETE FROM " + order);
  return true;
}

void drop_parts(Db& db, const std::string& sink) {
  in_transaction(db, [&] {
    Stmt drop(db, "DELETE FROM sink_part WHERE sink = ?1");
    drop.bind_text(1, sink).run();
    Stmt mark(db, "DELETE FROM dataset_state WHERE key = ?1");
    mark.bind_text(1, "parts:" + sink).run();
  });
}

// A sink keeps parts only after its mark is set (settle_mark), so the marks name every sink that
// has any: the parts table itself is not scanned.
std::vector<std::string> prune_parts(Db& db, const std::vector<std::string>& sinks) {
  std::vector<std::string> gone;
  {
    Stmt marks(db, "SELECT substr(key, 7) FROM dataset_state WHERE key LIKE 'parts:%'");
    while (marks.step())
      if (std::find(sinks.begin(), sinks.end(), marks.text(0)) == sinks.end()) gone.push_back(marks.text(0));
  }
  for (const auto& sink : gone) drop_parts(db, sink);
  return gone;
}

std::int64_t sink_parts(Db& db, const std::string& sink) {
  Stmt s(db, "SELECT COUNT(*) FROM sink_part WHERE sink = ?1");
  s.bind_text(1, sink);
  return s.step() ? s.integer(0) : 0;
}

}  // namespace sendhub::sqlite
