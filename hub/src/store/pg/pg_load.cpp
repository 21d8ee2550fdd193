#include "store/pg/pg_load.h"

#include "store/extras_codec.h"
#include "store/pg/pg_rows.h"
#include "store/record_rows.h"

namespace sendhub::pg {
namespace {

constexpr std::size_t kQueueRows = 5000;

const char* const kLineage[] = {"source", "rkey", "run_id", "file", "line", "path", "return_year", "row_hash"};

// A kind's columns in table order, each after `prefix` ("s." names the stage's).
std::string columns(const KindSpec& k, const std::string& prefix = "") {
  std::string out;
  for (const char* c : kLineage) out += (out.empty() ? "" : ", ") + prefix + c;
  for (const auto& f : k.fields) out += ", " + prefix + std::string(f.name);
  return out + ", " + prefix + "extras";
}

// The staged rows merged into the table: a row is only rewritten when its hash differs or it
// moved within its file.
// Returns the return year of every row written.
std::string merge_sql(const KindSpec& k) {
  const std::string table(k.name), cols = columns(k);
  std::string set = "run_id = excluded.run_id, file = excluded.file, line = excluded.line, path = excluded.path, "
                    "return_year = excluded.return_year, row_hash = excluded.row_hash, extras = excluded.extras";
  for (const auto& f : k.fields) set += ", " + std::string(f.name) + " = excluded." + std::string(f.name);
  // Rows stored before with the same hash are left out first, each by a look-up of its key
  // (an upsert checks every row for a conflict, the slower way: pg_links.cpp's apply_stage).
  // A correlated subquery, not NOT EXISTS: that the planner may turn into a hash join reading
  // the council's whole table for every batch of 5,000 rows.
  // Unchanged: the same hash, and not moved within its file (record_rows.h, moved_within_file).
  auto unchanged = [](const std::string& o, const std::string& n) {
    return o + ".row_hash = " + n + ".row_hash AND NOT (" + o + ".file IS NOT DISTINCT FROM " + n + ".file AND " + o +
           ".line IS DISTINCT FROM " + n + ".line)";
  };
  return "WITH up AS (INSERT INTO " + table + " AS t (council, " + cols + ") SELECT " + kCouncilOnce + ", " + columns(k, "s.") +
         " FROM stage_" + table + " s WHERE NOT COALESCE((SELECT " + unchanged("o", "s") + " FROM " + table +
         " o WHERE o.source = s.source AND o.rkey = s.rkey), false) ON CONFLICT (council, source, rkey) DO UPDATE SET " + set +
         " WHERE NOT (" + unchanged("t", "excluded") + ") RETURNING t.return_year) "
         "SELECT return_year, COUNT(*) FROM up GROUP BY return_year";
}

}  // namespace

RecordLoader::RecordLoader(Db& db) : db_(db), seen_("") {
  for (const auto& k : kKinds) {
    const auto i = static_cast<std::size_t>(k.kind);
    const std::string table(k.name);
    create_stage(db_, "stage_" + table, table);
    copy_sql_[i] = "COPY stage_" + table + " (" + columns(k) + ") FROM STDIN";
    merge_sql_[i] = merge_sql(k);
  }
  db_.exec("CREATE TEMP TABLE IF NOT EXISTS seen (kind INTEGER, rkey TEXT COLLATE \"C\", PRIMARY KEY (kind, rkey))");
  seen_.exec("CREATE TABLE seen (kind INTEGER, rkey TEXT, file TEXT, PRIMARY KEY (kind, rkey)) WITHOUT ROWID");
  note_seen_ = sqlite::Stmt(seen_, "INSERT OR IGNORE INTO seen(kind, rkey, file) VALUES (?1, ?2, ?3)");
  kept_by_ = sqlite::Stmt(seen_, "SELECT file FROM seen WHERE kind = ?1 AND rkey = ?2");
}

void RecordLoader::write(const Record& r, const std::string& source, std::int64_t run) {
  const auto kind = static_cast<std::size_t>(r.kind());
  Queue& q = queues_[kind];
  std::string key = r.key();
  if (q.keys.count(key)) flush(kind, pending_years_);   // one statement may not change a row twice
  std::vector<Param> row{source, key, std::to_string(run), text_or_null(r.origin.file), std::to_string(r.origin.line),
                         text_or_null(r.origin.path), std::to_string(r.return_year), store::row_hash(r)};
  for (std::size_t i = 0; i < r.size(); ++i) row.push_back(text_or_null(r.at(i)));
  row.push_back(text_or_null(encode_extras(r.extras)));
  q.rows.push_back(std::move(row));
  q.keys.insert(std::move(key));
  if (q.rows.size() >= kQueueRows) flush(kind, pending_years_);
}

void RecordLoader::flush(std::size_t kind, std::set<int>& years) {
  Queue& q = queues_[kind];
  if (q.rows.empty()) return;
  const auto sent = static_cast<std::int64_t>(q.rows.size());
  const std::string stage = "stage_" + std::string(kKinds[kind].name);
  db_.copy_in(copy_sql_[kind], q.rows);
  Result changed = db_.query(merge_sql_[kind]);
  std::int64_t stored = 0;
  for (int i = 0; i < changed.rows(); ++i) {
    years.insert(std::stoi(changed.text(i, 0)));
    stored += std::stoll(changed.text(i, 1));
  }
  db_.exec("TRUNCATE " + stage);
  written_.stored += stored;
  written_.unchanged += sent - stored;
  q.rows.clear();
  q.keys.clear();
}

void RecordLoader::flush(std::set<int>& years) {
  years.insert(pending_years_.begin(), pending_years_.end());
  pending_years_.clear();
  for (std::size_t k = 0; k < kKinds.size(); ++k) flush(k, years);
}

Store::Written RecordLoader::settle(std::set<int>& years) {
  flush(years);
  return std::exchange(written_, Store::Written{});
}

bool RecordLoader::keep(const Record& r) {
  if (!tracking_) return true;
  note_seen_.reset().bind(1, static_cast<std::int64_t>(r.kind())).bind(2, r.key()).bind_text(3, r.origin.file).run();
  return seen_.changes() > 0;
}

std::string RecordLoader::kept_by(const Record& r) {
  kept_by_.reset().bind(1, static_cast<std::int64_t>(r.kind())).bind(2, r.key());
  std::string file = kept_by_.step() ? kept_by_.text(0) : "";
  kept_by_.reset();
  return file;
}

void RecordLoader::begin_file() {
  seen_.exec("DELETE FROM seen");
  tracking_ = true;
}

std::int64_t RecordLoader::end_file(const std::string& source, const std::vector<std::string>& files, std::set<int>& years) {
  flush(years);
  {
    Appender keys(db_, "COPY seen (kind, rkey) FROM STDIN");
    sqlite::Stmt all(seen_, "SELECT kind, rkey FROM seen");
    while (all.step()) keys.add({std::to_string(all.integer(0)), all.text(1)});
    keys.flush();
  }
  std::int64_t removed = 0;
  for (const auto& k : kKinds)
    for (const auto& file : files) {
      Result gone = db_.query("WITH gone AS (DELETE FROM " + std::string(k.name) + " t WHERE source = $1 AND file = $2 AND "
                              "NOT EXISTS (SELECT 1 FROM seen s WHERE s.kind = $3 AND s.rkey = t.rkey) RETURNING return_year) "
                              "SELECT return_year, COUNT(*) FROM gone GROUP BY return_year",
                              {source, file, std::to_string(static_cast<int>(k.kind))});
      for (int i = 0; i < gone.rows(); ++i) {
        years.insert(std::stoi(gone.text(i, 0)));
        removed += std::stoll(gone.text(i, 1));
      }
    }
  db_.exec("TRUNCATE seen");
  seen_.exec("DELETE FROM seen");
  tracking_ = false;
  return removed;
}

void RecordLoader::forget() noexcept {
  for (auto& q : queues_) q.rows.clear(), q.keys.clear();
  pending_years_.clear();
  written_ = Store::Written{};
  tracking_ = false;
  try {
    seen_.exec("DELETE FROM seen");
  } catch (const Error&) {  // emptied again at the next begin_file
  }
}

}  // namespace sendhub::pg
