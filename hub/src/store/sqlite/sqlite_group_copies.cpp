#include "store/sqlite/sqlite_group_copies.h"

#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "store/read_ahead.h"
#include "store/sqlite/sqlite_dataset.h"
#include "store/sqlite/sqlite_group_order.h"

namespace sendhub::sqlite {
namespace {

// The copies' kind and the linked version they describe: "c2" since 0.12.20, each the caller's
// copy (CopyMaker) made under the mark 'group_copies_mark' holds; "g1" copies were the stored
// groups' own bytes, which no walk reads any more (they are deleted and made again).
std::string copies_of(std::int64_t linked_version) { return "c2:" + std::to_string(linked_version); }

void set_copies(Db& db, std::int64_t linked_version) {
  Stmt s(db, "INSERT OR REPLACE INTO dataset_state(key, value) VALUES ('group_copies', ?1)");
  s.bind(1, copies_of(linked_version)).run();
}

// Every row the index deletes, writes over or moves names its group, old and new, in
// temp.copy_gone, whose copies and parts (015) done() deletes at once. BEFORE INSERT, so that
// INSERT OR REPLACE (which deletes without firing a trigger) still names the group the row
// leaves. A trigger deleting them itself ran six deletes in three tables for each row a night's
// change wrote, most of them for the same groups again (a third of saving its links at 100,000
// children). Selected, not VALUES: a trigger's statement takes the conflict clause of the one
// that fires it, and under OR REPLACE a NULL (no row left) would abort it.
std::vector<std::string> triggers() {
  const std::string note = "INSERT OR IGNORE INTO copy_gone(grp) SELECT ";   // a trigger names no schema
  return {"CREATE TEMP TRIGGER copy_member_put BEFORE INSERT ON main.dataset_member BEGIN " + note + "NEW.grp; " + note +
              "grp FROM dataset_member WHERE kind = NEW.kind AND source = NEW.source AND ref = NEW.ref; END",
          "CREATE TEMP TRIGGER copy_member_gone AFTER DELETE ON main.dataset_member BEGIN " + note + "OLD.grp; END",
          "CREATE TEMP TRIGGER copy_member_moved AFTER UPDATE ON main.dataset_member BEGIN " + note + "OLD.grp; " + note +
              "NEW.grp; END"};
}

constexpr const char* kTriggerNames[] = {"copy_member_put", "copy_member_gone", "copy_member_moved"};

}  // namespace

std::optional<std::int64_t> links_current(Db& db) {
  const std::string data = dataset_value(db, "data_version"), linked = dataset_value(db, "linked_version");
  if (linked.empty() || data != linked) return std::nullopt;
  return std::stoll(linked);
}

bool copies_describe(Db& db, std::int64_t linked_version) {
  return dataset_value(db, "group_copies") == copies_of(linked_version);
}

bool copies_describe(Db& db, std::int64_t linked_version, const std::string& mark) {
  return copies_describe(db, linked_version) && dataset_value(db, "group_copies_mark") == mark;
}

void settle_copies(Db& db, std::int64_t linked_version, const std::string& mark) {
  if (copies_describe(db, linked_version, mark)) return;
  drop_copies(db);
  set_copies(db, linked_version);
  Stmt s(db, "INSERT OR REPLACE INTO dataset_state(key, value) VALUES ('group_copies_mark', ?1)");
  s.bind_text(1, mark).run();
}

void drop_copies(Db& db) {
  db.exec("DELETE FROM group_copy");
  db.exec("DELETE FROM sink_part");
  drop_order(db);
}

void drop_copies_of(Db& db, const std::string& groups) {
  db.exec("DELETE FROM group_copy WHERE grp IN (" + groups + ")");
  db.exec("DELETE FROM sink_part WHERE grp IN (" + groups + ")");
  touch_groups(db, groups);
}

CopyUpkeep::CopyUpkeep(Db& db, bool narrowed) : db_(db) {
  const std::string linked = dataset_value(db_, "linked_version");
  if (narrowed && !linked.empty() && copies_describe(db_, std::stoll(linked))) {
    db_.exec("CREATE TEMP TABLE IF NOT EXISTS copy_gone (grp TEXT PRIMARY KEY) WITHOUT ROWID");
    db_.exec("DELETE FROM temp.copy_gone");
    for (const auto& sql : triggers()) db_.exec(sql);
    armed_ = true;
  } else {
    drop_copies(db_);
  }
}

CopyUpkeep::~CopyUpkeep() { disarm(); }

void CopyUpkeep::disarm() noexcept {
  if (!armed_) return;
  armed_ = false;
  for (const char* name : kTriggerNames) {
    try {
      db_.exec(std::string("DROP TRIGGER IF EXISTS temp.") + name);
    } catch (const std::exception&) {   // a failed transaction drops them with its rollback
    }
  }
}

void CopyUpkeep::done(std::int64_t linked_version) {
  // The scope's linked persons were written again (their values may have changed): the
  // narrowed linking's scope_key lists them.
  if (armed_) drop_copies_of(db_, "SELECT person_key AS grp FROM temp.scope_key UNION SELECT grp FROM temp.copy_gone");
  disarm();
  set_copies(db_, linked_version);
}

namespace {

// What crosses from keep_all's reading thread: the copy, then its key, then the key's length
// (4 bytes, taken off the end).
std::string with_key(std::string copy, const std::string& key) {
  const auto n = static_cast<std::uint32_t>(key.size());
  char raw[sizeof n];
  std::memcpy(raw, &n, sizeof n);
  copy.append(key).append(raw, sizeof n);
  return copy;
}
std::string_view take_key(std::string& bytes, std::string& key) {
  std::uint32_t n = 0;
  if (bytes.size() < sizeof n) throw Error(Where{}, "", "store.copy", "a group's copy came short from the reading thread");
  std::memcpy(&n, bytes.data() + bytes.size() - sizeof n, sizeof n);
  if (bytes.size() < sizeof n + n) throw Error(Where{}, "", "store.copy", "a group's copy came short from the reading thread");
  const std::size_t copy = bytes.size() - sizeof n - n;
  key.assign(bytes, copy, n);
  return std::string_view(bytes).substr(0, copy);
}

// Every group read from the record tables, its copy made and kept (a first walk). The reading
// and the making run ahead on a thread of their own (read_ahead.h), through a connection of
// their own (`tables`, used by that thread alone until it is done); this thread keeps each copy
// through the store's connection and visits it. Kept by the reading thread through a third
// connection, the copies made that thread the walk's bottleneck (a council's return waited on it
// a third of the time while this one had time to spare), and its transaction shut out a sink
// writing from inside its visits; in this one's transaction the sink's writes join the copies',
// as they do on a walk of kept copies (walk_keeping). Not through the reading connection: their
// pages crowded the record tables' out of its cache (a second of the 100,000-child first walk).
void keep_all(Db& db, int order_year, std::int64_t linked, const CopyMaker& maker, const CopyVisit& visit) {
  Db tables(db.path());
  tables.exec("PRAGMA cache_size=-4096");
  in_transaction(db, [&] {
    const bool keep = copies_describe(db, linked, maker.mark);   // else linked again meanwhile
    Stmt put(db, "INSERT OR REPLACE INTO group_copy(grp, bytes) VALUES (?1, ?2)");
    std::string key;
    read_ahead(
        [&](const ReadAheadEmit& emit) {
          // Ordered before the read transaction, whose end would take the temporary tables with
          // it: keep_order_of reads them after the walk. Nothing else writes the store meanwhile
          // (the run lock; this thread's transaction commits after).
          order_groups(tables, order_year);
          ReadTransaction read(tables);
          walk_groups(tables, "temp.dataset_order", [&](StoredGroup& g) { emit(with_key(maker.make(g), g.key)); });
        },
        [&](std::string& bytes) {
          const std::string_view copy = take_key(bytes, key);
          if (keep) put.reset().bind_text(1, key).bind_blob(2, copy).run();
          visit(key, copy);
        });
    if (keep) keep_order_of(tables, db, order_year);   // for the next runs' walks
  });
}

// Every group of temp.dataset_order from its copy, in order: each must have one.
void walk_copies(Db& db, const CopyVisit& visit) {
  Stmt copies(db, "SELECT o.grp, c.bytes FROM temp.dataset_order o LEFT JOIN group_copy c ON c.grp = o.grp ORDER BY o.pos");
  std::string key;
  while (copies.step()) {
    if (copies.is_null(1)) throw Error(Where{}, "", "store.copy", "a group's copy went missing during the walk");
    key.assign(copies.blob_view(0));
    visit(key, copies.blob_view(1));
  }
}

// Every group of an order table, its copy made from the record tables.
void walk_making(Db& db, const std::string& order_table, const CopyMaker& maker, const CopyVisit& visit) {
  walk_groups(db, order_table, [&](StoredGroup& g) {
    const std::string copy = maker.make(g);
    visit(g.key, copy);
  });
}

bool any_copy(Db& db) {
  Stmt any(db, "SELECT EXISTS (SELECT 1 FROM group_copy)");
  return any.step() && any.integer(0) == 1;
}

// False when no group has a copy (the caller keeps them all, keep_all).
bool walk_keeping(Db& db, int order_year, std::int64_t linked, const CopyMaker& maker, const CopyVisit& visit) {
  settle_copies(db, linked, maker.mark);
  if (!any_copy(db)) return false;   // a first walk: no need to order the groups here
  order_groups(db, order_year, "dataset_order", true);
  db.exec("CREATE TEMP TABLE IF NOT EXISTS copy_missing (pos INTEGER PRIMARY KEY, grp TEXT NOT NULL)");
  db.exec("DELETE FROM temp.copy_missing");
  db.exec("INSERT INTO temp.copy_missing SELECT pos, grp FROM temp.dataset_order o "
          "WHERE NOT EXISTS (SELECT 1 FROM group_copy c WHERE c.grp = o.grp)");
  const std::int64_t missing = db.changes();
  Stmt count(db, "SELECT COUNT(*) FROM temp.dataset_order");
  const std::int64_t all = count.step() ? count.integer(0) : 0;
  count.reset();
  if (missing == all) return false;   // nothing kept: see keep_all
  Stmt put(db, "INSERT INTO group_copy(grp, bytes) VALUES (?1, ?2)");
  if (missing > 0)
    walk_making(db, "temp.copy_missing", maker, [&](const std::string& key, std::string_view copy) {
      put.reset().bind_text(1, key).bind_blob(2, copy).run();
    });
  db.exec("DELETE FROM temp.copy_missing");
  walk_copies(db, visit);
  return true;
}

// A walk that writes nothing to the store (`export` or `kpis` beside a run, which holds the
// write lock for its stages, and must not wait on theirs): the copies when every group has
// one under this mark, else every copy made from the record tables.
void walk_reading(Db& db, int order_year, std::int64_t linked, const CopyMaker& maker, const CopyVisit& visit) {
  ReadTransaction read(db);
  order_groups(db, order_year);
  Stmt lacking(db, "SELECT EXISTS (SELECT 1 FROM temp.dataset_order o WHERE NOT EXISTS "
                   "(SELECT 1 FROM group_copy c WHERE c.grp = o.grp))");
  const bool whole = copies_describe(db, linked, maker.mark) && lacking.step() && lacking.integer(0) == 0;
  lacking.reset();
  if (whole) walk_copies(db, visit);
  else walk_making(db, "temp.dataset_order", maker, visit);
}

}  // namespace

void each_group(Db& db, int order_year, const std::function<void(StoredGroup&)>& visit) {
  each_group_from_tables(db, order_year, visit);
}

void each_copy(Db& db, int order_year, bool keep, const CopyMaker& maker, const CopyVisit& visit) {
  const std::optional<std::int64_t> linked = links_current(db);
  if (!linked) {
    ReadTransaction read(db);
    order_groups(db, order_year);
    return walk_making(db, "temp.dataset_order", maker, visit);
  }
  const std::int64_t version = *linked;
  if (!keep) return walk_reading(db, order_year, version, maker, visit);
  try {
    if (!in_transaction(db, [&] { return walk_keeping(db, order_year, version, maker, visit); }))
      keep_all(db, order_year, version, maker, visit);
  } catch (const Error& e) {
    if (e.rule() != "store.copy") throw;
    give_up_copies(db);
    throw Error(Where{db.path(), 0, "group_copy"}, "", "store.copy",
                e.message() + "; every copy is deleted and the next run makes them again");
  }
}

void give_up_copies(Db& db) {
  // A damaged copy (the file altered outside the hub): the copies are given up, so the next
  // walk makes every group's again from the record tables.
  in_transaction(db, [&] {
    drop_copies(db);
    db.exec("UPDATE dataset_state SET value = '' WHERE key = 'group_copies'");
  });
}

bool reads_ahead(Db& db, const std::string& mark) {
  const std::optional<std::int64_t> linked = links_current(db);
  return linked && (!copies_describe(db, *linked, mark) || !any_copy(db));
}

std::int64_t group_copies(Db& db) {
  Stmt s(db, "SELECT COUNT(*) FROM group_copy");
  return s.step() ? s.integer(0) : 0;
}

}  // namespace sendhub::sqlite
