// store/pg_store.cpp: the Store on a regional pool in PostgreSQL, as one council sees it.
// Every statement names no council: the server fills in the council of the role connected
// as and row-level security keeps every read and write to that council's rows
// (schemas/pg/001_pool.sql). Records go in with COPY (pg_load.h); reads stream through
// server-side cursors (pg_rows.h).
#include <filesystem>
#include <set>
#include <utility>

#include "store/migrations.h"
#include "store/pg/pg_dataset.h"
#include "store/pg/pg_load.h"
#include "store/pg/pg_resolved.h"
#include "store/pg/pg_rows.h"
#include "store/record_rows.h"
#include "store/store.h"
#include "text/clock.h"

namespace sendhub {
namespace {

using pg::Param;

Param num(std::int64_t n) { return std::to_string(n); }


class PgStore final : public Store {
 public:
  PgStore(const std::string& conninfo, const std::string& password_env, const std::string& schemas_dir)
      : db_(conninfo, password_env), conninfo_(conninfo), password_env_(password_env), schemas_dir_(schemas_dir) {
    const int have = pg::schema_version(db_), want = migration_files(schemas_dir + "/pg").rbegin()->first;
    if (have > want) pg::refuse("the pool has schema version " + std::to_string(have) + ", newer than this sendhub knows; use a newer sendhub");
    if (have < want)
      pg::refuse("the pool has schema version " + std::to_string(have) + " and this sendhub needs " + std::to_string(want) +
             ": its administrator applies it (sendhub pool-migrate, as the pool's owner)");
    council_ = pg::value(db_, "SELECT sendhub_council()");
    if (council_.empty())
      pg::refuse("the role connected as is no council of this pool: its administrator registers it "
             "(SELECT sendhub_add_council('<role>', '<council code>'))");
    db_.exec("INSERT INTO dataset_state(key, value) VALUES ('data_version', '1'), ('linked_version', '0'), "
             "('link_error', '') ON CONFLICT DO NOTHING");
    loader_ = std::make_unique<pg::RecordLoader>(db_);
  }

  bool try_lock_run() override {
    return pg::value(db_, "SELECT pg_try_advisory_lock(hashtextextended('sendhub.run.' || sendhub_council(), 0))") == "t";
  }

  std::int64_t begin_run(const std::string& as_at) override {
    return pg::number(db_, "INSERT INTO runs(started, status, as_at) VALUES ($1, 'running', $2) RETURNING run_id",
                      {text::utc_now(), as_at});
  }

  std::int64_t mark_interrupted() override {
    return db_.query("UPDATE runs SET status = 'interrupted', exit_code = 3 WHERE status = 'running'").affected();
  }

  void finish_run(std::int64_t run, const std::string& status, int exit_code) override {
    db_.query("UPDATE runs SET finished = $1, status = $2, exit_code = $3 WHERE run_id = $4",
              {text::utc_now(), status, num(exit_code), num(run)});
  }

  std::vector<RunSummary> runs() override {
    pg::Cursor r(db_, "SELECT run_id, started, COALESCE(finished, ''), status, as_at, COALESCE(exit_code, 0) "
                      "FROM runs ORDER BY run_id DESC");
    pg::Cursor s(db_, "SELECT run_id, source, status, COALESCE(error, ''), read, stored, unchanged, quarantined, removed, "
                      "files_skipped, replaced FROM run_sources ORDER BY run_id, seq");
    return store::read_runs(r, s);
  }

  void begin() override {
    loader_->forget();
    touched_years_.clear();
    changed_ = false;
    rows_changed_ = 0;
    db_.exec("BEGIN");
  }
  void commit() override {
    loader_->flush(touched_years_);
    db_.exec("COMMIT");
    if (!changed_) return;
    changed_ = false;
    std::vector<std::string> tables;
    tables.reserve(kKinds.size());
    for (const auto& k : kKinds) tables.emplace_back(k.name);
    pg::analyze(db_, tables, rows_changed_);
  }
  void rollback() override {
    db_.rollback_quietly();
    loader_->forget();
  }

  void record_source(std::int64_t run, const SourceRun& src) override {
    const auto& c = src.counts;
    db_.query("INSERT INTO run_sources(run_id, source, status, error, read, stored, unchanged, quarantined, removed, "
              "files_skipped, replaced) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (run_id, source) DO UPDATE SET "
              "status = excluded.status, error = excluded.error, read = excluded.read, stored = excluded.stored, "
              "unchanged = excluded.unchanged, quarantined = excluded.quarantined, removed = excluded.removed, "
              "files_skipped = excluded.files_skipped, replaced = excluded.replaced",
              {num(run), src.name, src.status, pg::text_or_null(src.error), num(c.read), num(c.stored), num(c.unchanged),
               num(c.quarantined), num(c.removed), num(c.files_skipped), num(c.replaced)});
  }

  void write(const Record& r, const std::string& source, std::int64_t run) override { loader_->write(r, source, run); }
  Written settle() override {
    Written w = loader_->settle(touched_years_);
    rows_changed_ += w.stored;
    return w;
  }
  bool keep(const Record& r) override { return loader_->keep(r); }
  std::string kept_by(const Record& r) override { return loader_->kept_by(r); }
  void begin_file(const std::string&, const std::string&) override { loader_->begin_file(); }
  std::int64_t end_file(const std::string& source, const std::vector<std::string>& files) override {
    const std::int64_t removed = loader_->end_file(source, files, touched_years_);
    rows_changed_ += removed;
    return removed;
  }

  std::int64_t remove_file(const std::string& source, const std::string& file) override {
    loader_->flush(touched_years_);
    std::int64_t removed = 0;
    for (const auto& k : kKinds) {
      pg::Result gone = db_.query("DELETE FROM " + std::string(k.name) + " WHERE source = $1 AND file = $2 RETURNING return_year",
                                  {source, file});
      for (int i = 0; i < gone.rows(); ++i) touched_years_.insert(std::stoi(gone.text(i, 0)));
      removed += gone.rows();
    }
    set_read_mark(source, file, "");
    rows_changed_ += removed;
    return removed;
  }

  void data_changed() override {
    loader_->flush(touched_years_);
    db_.exec("UPDATE dataset_state SET value = (CAST(value AS BIGINT) + 1)::text WHERE key = 'data_version'");
    for (int year : touched_years_)
      if (year > 0)
        db_.query("INSERT INTO dataset_state(key, value) SELECT $1, value FROM dataset_state WHERE key = 'data_version' "
                  "ON CONFLICT (council, key) DO UPDATE SET value = excluded.value", {"year_version." + std::to_string(year)});
    touched_years_.clear();
    changed_ = true;   // the tables' statistics are refreshed once the source commits
  }

  LinkState link_state() override {
    LinkState out;
    pg::Result s = db_.query("SELECT key, COALESCE(value, '') FROM dataset_state WHERE key IN "
                             "('data_version', 'linked_version', 'link_error')");
    for (int i = 0; i < s.rows(); ++i) {
      if (s.text(i, 0) == "data_version") out.data_version = std::stoll(s.text(i, 1));
      if (s.text(i, 0) == "linked_version") out.linked_version = std::stoll(s.text(i, 1));
      if (s.text(i, 0) == "link_error") out.error = s.text(i, 1);
    }
    return out;
  }

  std::string dataset_value(const std::string& key) override {
    return pg::value(db_, "SELECT value FROM dataset_state WHERE key = $1", {key});
  }

  void set_dataset_value(const std::string& key, const std::string& value) override {
    db_.query("INSERT INTO dataset_state(key, value) VALUES ($1, $2) ON CONFLICT (council, key) DO UPDATE SET "
              "value = excluded.value", {key, pg::text_or_null(value)});
  }

  void set_link_error(const std::string& error) override { set_dataset_value("link_error", error); }

  void note_input(const std::string& source, const InputFile& in, std::int64_t run) override {
    // last_run and archived move only with the file's bytes; the stat with every look.
    db_.query("INSERT INTO source_files(source, file, sha256, size, archived, first_run, last_run, stat) "
              "VALUES ($1, $2, $3, $4, $5, $6, $6, $7) ON CONFLICT (council, source, file) DO UPDATE SET "
              "stat = excluded.stat, archived = CASE WHEN source_files.sha256 <> excluded.sha256 "
              "THEN excluded.archived ELSE source_files.archived END, last_run = CASE WHEN "
              "source_files.sha256 <> excluded.sha256 THEN excluded.last_run ELSE source_files.last_run END, "
              "sha256 = excluded.sha256, size = excluded.size",
              {source, in.file, in.sha256, num(in.size), pg::text_or_null(in.archived), num(run), pg::text_or_null(in.stat)});
    if (in.archived.empty()) return;
    db_.query("INSERT INTO archive_manifest(path, sha256) VALUES ($1, $2) ON CONFLICT DO NOTHING", {in.archived, in.sha256});
  }

  std::optional<InputFile> known_input(const std::string& source, const std::string& file,
                                       const std::string& stat) override {
    if (stat.empty()) return std::nullopt;
    pg::Result r = db_.query("SELECT sha256, size, COALESCE(archived, '') FROM source_files WHERE source = $1 AND file = $2 "
                         "AND stat = $3", {source, file, stat});
    if (r.rows() == 0) return std::nullopt;
    return InputFile{file, r.text(0, 0), r.text(0, 2), std::stoll(r.text(0, 1)), stat};
  }

  std::string read_mark(const std::string& source, const std::string& file) override {
    return pg::value(db_, "SELECT complete_sha256 FROM source_files WHERE source = $1 AND file = $2", {source, file});
  }

  void set_read_mark(const std::string& source, const std::string& file, const std::string& mark) override {
    db_.query("UPDATE source_files SET complete_sha256 = $3 WHERE source = $1 AND file = $2",
              {source, file, pg::text_or_null(mark)});
  }

  std::vector<std::string> archived_files() override {
    std::vector<std::string> out;
    pg::Cursor s(db_, "SELECT path FROM archive_manifest ORDER BY path");
    while (s.step()) out.push_back(s.text(0));
    return out;
  }

  void forget_archived(const std::string& path) override {
    db_.query("DELETE FROM archive_manifest WHERE path = $1", {path});
  }

  void quarantine(std::int64_t run, const std::string& source, const Error& why, std::string_view raw) override {
    db_.query("INSERT INTO quarantine(run_id, source, file, line, path, field, rule, reason, raw) "
              "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
              {num(run), source, pg::text_or_null(why.where().file), num(why.where().line),
               pg::text_or_null(why.where().path), pg::text_or_null(why.field()), pg::text_or_null(why.rule()),
               why.message(), pg::text_or_null(std::string(raw))});
  }

  bool carry_quarantine(const std::string& source, const std::vector<std::string>& files, std::int64_t from_run,
                        std::int64_t to_run, std::int64_t expected, const std::function<void(const Error&)>& visit) override {
    std::vector<pg::Param> params{num(from_run), source};
    std::string in;
    for (const auto& f : files) {
      params.emplace_back(f);
      in += (in.empty() ? "$" : ", $") + std::to_string(params.size());
    }
    const std::string rows = " FROM quarantine WHERE run_id = $1 AND source = $2 AND file IN (" + in + ")";
    if (pg::number(db_, "SELECT COUNT(*)" + rows, params) != expected) return false;
    auto copy = params;
    copy.emplace_back(num(to_run));
    db_.query("INSERT INTO quarantine(run_id, source, file, line, path, field, rule, reason, raw) SELECT $" +
                  std::to_string(copy.size()) + ", source, file, line, path, field, rule, reason, raw" + rows + " ORDER BY id",
              copy);
    params[0] = num(to_run);
    pg::Cursor read(db_, "SELECT file, line, path, field, rule, reason" + rows + " ORDER BY id", params);
    while (read.step()) visit(Error(Where{read.text(0), read.integer(1), read.text(2)}, read.text(3), read.text(4), read.text(5)));
    return true;
  }

  std::int64_t prune_quarantine(int days) override {
    return db_.query("DELETE FROM quarantine WHERE run_id IN (SELECT run_id FROM runs WHERE "
                     "CAST(replace(started, 'Z', '') AS timestamp) < (now() AT TIME ZONE 'UTC') - make_interval(days => $1))",
                     {num(days)}).affected();
  }

  std::string state(const std::string& source, const std::string& key) override {
    return pg::value(db_, "SELECT value FROM source_state WHERE source = $1 AND key = $2", {source, key});
  }

  void set_state(const std::string& source, const std::string& key, const std::string& value) override {
    db_.query("INSERT INTO source_state(source, key, value) VALUES ($1, $2, $3) ON CONFLICT (council, source, key) "
              "DO UPDATE SET value = excluded.value", {source, key, value});
  }

  std::map<std::string, std::string> sink_state(const std::string& sink, const std::string& prefix) override {
    std::map<std::string, std::string> out;
    auto r = db_.query("SELECT key, value FROM sink_state WHERE sink = $1 AND left(key, length($2)) = $2 ORDER BY key",
                       {sink, prefix});
    for (int i = 0; i < r.rows(); ++i) out[r.text(i, 0)] = r.text(i, 1);
    return out;
  }

  // One statement for the batch: the keys go as one array, each row tells its key's place.
  std::vector<std::string> sink_state_values(const std::string& sink, const std::vector<std::string>& keys) override {
    std::vector<std::string> out(keys.size());
    if (keys.empty()) return out;
    auto r = db_.query("SELECT k.place, s.value FROM unnest($2::text[]) WITH ORDINALITY AS k(key, place) "
                       "JOIN sink_state s ON s.sink = $1 AND s.key = k.key",
                       {sink, pg::text_array(keys)});
    for (int i = 0; i < r.rows(); ++i) out.at(std::stoul(r.text(i, 0)) - 1) = r.text(i, 1);
    return out;
  }

  void set_sink_state(const std::string& sink, const std::string& key, const std::string& value) override {
    if (value.empty()) {
      db_.query("DELETE FROM sink_state WHERE sink = $1 AND key = $2", {sink, key});
      return;
    }
    db_.query("INSERT INTO sink_state(sink, key, value, updated) VALUES ($1, $2, $3, $4) ON CONFLICT (council, sink, key) "
              "DO UPDATE SET value = excluded.value, updated = excluded.updated", {sink, key, value, text::utc_now()});
  }

  std::vector<Record> read(RecordKind kind, int return_year) override {
    std::vector<Record> out;
    each(kind, return_year, [&](Record& r) { out.push_back(std::move(r)); });
    return out;
  }

  void each(RecordKind kind, int return_year, const std::function<void(Record&)>& visit) override {
    loader_->flush(touched_years_);
    const std::string table(spec(kind).name);
    pg::Cursor st(db_, "SELECT " + store::record_columns(kind, table) + " FROM " + table +
                           " WHERE $1 = 0 OR return_year = $1 ORDER BY source, file, line, rkey", {num(return_year)});
    while (st.step()) {
      Record r = store::read_record(st, kind, 0);
      visit(r);
    }
  }

  void each_group(int order_year, const std::function<void(StoredGroup&)>& visit) override {
    pg::each_group(db_, order_year, visit);
  }
  void each_group_key(int order_year, const std::function<void(const std::string&)>& visit) override {
    pg::each_group_key(db_, order_year, visit);
  }

  void each_return_person(int year, const std::function<void(std::vector<Record>&)>& visit) override {
    pg::each_return_person(db_, year, visit);
  }

  // Another connection as the same council (the pool's reads are its own connection's).
  std::unique_ptr<Store> open_reader() override {
    return std::make_unique<PgStore>(conninfo_, password_env_, schemas_dir_);
  }

  std::string data_timestamp() override {
    std::string t = pg::value(db_, "SELECT MAX(r.started) FROM runs r JOIN run_sources s USING (run_id) "
                                   "WHERE s.status = 'ok' AND (s.stored > 0 OR s.removed > 0)");
    if (!t.empty() && t.back() == 'Z') t.pop_back();
    return t;
  }

  std::vector<int> return_years() override {
    std::vector<int> out;
    pg::Result s = db_.query("SELECT DISTINCT return_year FROM la_return WHERE return_year > 0 UNION "
                             "SELECT DISTINCT return_year FROM person WHERE return_year > 0 ORDER BY 1");
    out.reserve(static_cast<std::size_t>(s.rows()));
    for (int i = 0; i < s.rows(); ++i) out.push_back(std::stoi(s.text(i, 0)));
    return out;
  }

  void save_issues(std::int64_t run, int year, const std::vector<IssueRow>& issues, bool replace) override {
    pg::save_issues(db_, run, year, issues, replace);
  }

  std::pair<std::int64_t, std::int64_t> copy_issues(std::int64_t from_run, std::int64_t run, int year) override {
    return pg::copy_issues(db_, from_run, run, year);
  }

  std::string year_version(int year) override { return dataset_value("year_version." + std::to_string(year)); }

  std::int64_t save_links(const LinkSet& links, std::int64_t data_version,
                          const std::map<std::string, std::string>& request_sources) override {
    return pg::save_links(db_, links, data_version, request_sources);
  }
  LinkSet read_links() override { return pg::read_links(db_); }
  LinkSet links_of(const std::string& person_key) override { return pg::read_links(db_, person_key); }
  std::vector<Record> linked_records_of(const std::string& person_key) override {
    return pg::linked_records_of(db_, person_key);
  }
  std::unique_ptr<LinkScratch> link_scratch(const std::map<std::string, std::string>& person_sources) override {
    return pg::open_link_scratch(db_, person_sources);
  }
  std::int64_t linked_records() override { return pg::number(db_, "SELECT COUNT(*) FROM person_link"); }
  std::map<std::string, UnlinkedRequests> unlinked_requests() override { return pg::unlinked_requests(db_); }

  void keep_measures(const std::string& sink, std::int64_t run, const std::vector<MeasureRow>& rows) override {
    pg::keep_measures(db_, sink, run, rows);
  }
  std::vector<std::pair<std::string, MeasureRow>> measure_history(const std::string& sink) override {
    return pg::measure_history(db_, sink);
  }

  std::unique_ptr<ResolvedWriter> resolved_writer() override { return std::make_unique<pg::ResolvedWriter>(db_); }

  std::map<std::string, std::int64_t> data_quality() override {
    pg::Result s = db_.query(
        "SELECT (SELECT COUNT(*) FROM link_conflicts), (SELECT COUNT(*) FROM request_link WHERE COALESCE(person_key, '') = ''), "
        "(SELECT COUNT(*) FROM advice_link WHERE COALESCE(person_key, '') = ''), "
        "(SELECT COUNT(*) FROM quarantine WHERE run_id = (SELECT MAX(run_id) FROM run_sources))");
    auto at = [&](int col) { return std::stoll(s.text(0, col)); };
    return {{"link_conflicts", at(0)}, {"unlinked_requests", at(1)}, {"unlinked_advice", at(2)}, {"quarantined", at(3)}};
  }

 private:
  pg::Db db_;
  std::string conninfo_, password_env_, schemas_dir_;   // for open_reader
  std::string council_;
  std::unique_ptr<pg::RecordLoader> loader_;
  std::set<int> touched_years_;   // return years whose records this transaction changed
  bool changed_ = false;          // data_changed() in this transaction
  std::int64_t rows_changed_ = 0;   // records stored and removed in it (settle, end_file, remove_file)
};

}  // namespace

std::unique_ptr<Store> open_pg_store(const std::string& conninfo, const std::string& password_env,
                                     const std::string& schemas_dir) {
  return std::make_unique<PgStore>(conninfo, password_env, schemas_dir);
}

}  // namespace sendhub
