#include "store/sqlite/sqlite_runs.h"

#include "store/record_rows.h"
#include "text/clock.h"

namespace sendhub::sqlite {

std::int64_t begin_run(Db& db, const std::string& as_at) {
  Stmt s(db, "INSERT INTO runs(started, status, as_at) VALUES (?1, 'running', ?2)");
  s.bind(1, text::utc_now()).bind(2, as_at).run();
  return sqlite3_last_insert_rowid(db.handle());
}

std::int64_t mark_interrupted(Db& db) {
  Stmt s(db, "UPDATE runs SET status = 'interrupted', exit_code = 3 WHERE status = 'running'");
  s.run();
  return db.changes();
}

void finish_run(Db& db, std::int64_t run, const std::string& status, int exit_code) {
  Stmt s(db, "UPDATE runs SET finished = ?1, status = ?2, exit_code = ?3 WHERE run_id = ?4");
  s.bind(1, text::utc_now()).bind(2, status).bind(3, static_cast<std::int64_t>(exit_code)).bind(4, run).run();
}

std::vector<RunSummary> runs(Db& db) {
  Stmt r(db, "SELECT run_id, started, COALESCE(finished, ''), status, as_at, "
             "COALESCE(exit_code, 0) FROM runs ORDER BY run_id DESC");
  Stmt s(db, "SELECT run_id, source, status, COALESCE(error, ''), read, stored, unchanged, "
             "quarantined, removed, files_skipped, replaced FROM run_sources ORDER BY run_id, rowid");
  return store::read_runs(r, s);
}

void record_source(Db& db, std::int64_t run, const SourceRun& src) {
  Stmt s(db, "INSERT OR REPLACE INTO run_sources(run_id, source, status, error, read, stored, "
             "unchanged, quarantined, removed, files_skipped, replaced) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)");
  s.bind(1, run).bind(2, src.name).bind(3, src.status).bind(4, src.error).bind(5, src.counts.read)
      .bind(6, src.counts.stored).bind(7, src.counts.unchanged).bind(8, src.counts.quarantined)
      .bind(9, src.counts.removed).bind(10, src.counts.files_skipped).bind(11, src.counts.replaced).run();
}

std::string source_state(Db& db, const std::string& source, const std::string& key) {
  Stmt s(db, "SELECT value FROM source_state WHERE source = ?1 AND key = ?2");
  s.bind(1, source).bind(2, key);
  return s.step() ? s.text(0) : "";
}

void set_source_state(Db& db, const std::string& source, const std::string& key, const std::string& value) {
  Stmt s(db, "INSERT OR REPLACE INTO source_state(source, key, value) VALUES (?1, ?2, ?3)");
  s.bind(1, source).bind(2, key).bind(3, value).run();
}

std::map<std::string, std::string> sink_state(Db& db, const std::string& sink, const std::string& prefix) {
  Stmt s(db, "SELECT key, value FROM sink_state WHERE sink = ?1 AND substr(key, 1, length(?2)) = ?2 ORDER BY key");
  s.bind(1, sink).bind_text(2, prefix);
  std::map<std::string, std::string> out;
  while (s.step()) out[s.text(0)] = s.text(1);
  return out;
}

void set_sink_state(Db& db, const std::string& sink, const std::string& key, const std::string& value) {
  if (value.empty()) {
    Stmt(db, "DELETE FROM sink_state WHERE sink = ?1 AND key = ?2").bind(1, sink).bind(2, key).run();
    return;
  }
  Stmt s(db, "INSERT OR REPLACE INTO sink_state(sink, key, value, updated) VALUES (?1, ?2, ?3, ?4)");
  s.bind(1, sink).bind(2, key).bind(3, value).bind(4, text::utc_now()).run();
}

}  // namespace sendhub::sqlite
