#include "store/sqlite/sqlite_runs.h"

#include <optional>

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

namespace {

// The keys that start with `prefix` are those from it up to (not including) the first string
// after all of them: the prefix with its last byte below 0xFF raised by one ("" when every byte
// is 0xFF: no bound). A range the primary key answers, where substr() read every key of the
// sink (the alerts sink's pending keys sat behind every key it ever sent).
std::string after_prefix(std::string prefix) {
  while (!prefix.empty() && static_cast<unsigned char>(prefix.back()) == 0xFF) prefix.pop_back();
  if (!prefix.empty()) prefix.back() = static_cast<char>(static_cast<unsigned char>(prefix.back()) + 1);
  return prefix;
}

}  // namespace

std::map<std::string, std::string> sink_state(Db& db, const std::string& sink, const std::string& prefix) {
  const std::string until = after_prefix(prefix);
  Stmt s(db, until.empty() ? "SELECT key, value FROM sink_state WHERE sink = ?1 AND key >= ?2 ORDER BY key"
                           : "SELECT key, value FROM sink_state WHERE sink = ?1 AND key >= ?2 AND key < ?3 ORDER BY key");
  s.bind(1, sink).bind_text(2, prefix);
  if (!until.empty()) s.bind_text(3, until);
  std::map<std::string, std::string> out;
  while (s.step()) out[s.text(0)] = s.text(1);
  return out;
}

std::vector<std::string> sink_state_values(Db& db, const std::string& sink, const std::vector<std::string>& keys) {
  // One read transaction for the batch where none is open: each look-up on its own would take
  // and drop the file's locks (a night's 205,000 alerts at 100,000 children: 1 s of fcntl).
  std::optional<ReadTransaction> read;
  if (sqlite3_get_autocommit(db.handle()) != 0) read.emplace(db);
  Stmt s(db, "SELECT value FROM sink_state WHERE sink = ?1 AND key = ?2");
  std::vector<std::string> out;
  out.reserve(keys.size());
  for (const auto& key : keys) {
    s.reset().bind(1, sink).bind_text(2, key);
    out.push_back(s.step() ? s.text(0) : std::string());
  }
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
