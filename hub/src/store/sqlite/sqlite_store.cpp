// store/sqlite_store.cpp: the Store on one SQLite file in WAL mode.
#include <algorithm>
#include <array>
#include <ctime>
#include <map>
#include <set>
#include <utility>

#include "store/extras_codec.h"
#include "store/record_rows.h"
#include "store/migrations.h"
#include "store/sqlite/sqlite_checkpointer.h"
#include "store/sqlite/sqlite_dataset.h"
#include "store/sqlite/sqlite_group_copies.h"
#include "store/sqlite/sqlite_parts.h"
#include "store/sqlite/sqlite_issues.h"
#include "store/sqlite/sqlite_kind_statements.h"
#include "store/sqlite/sqlite_link_changes.h"
#include "store/sqlite/sqlite_link_scratch.h"
#include "store/sqlite/sqlite_links.h"
#include "store/sqlite/sqlite_measures.h"
#include "store/sqlite/sqlite_inputs.h"
#include "store/sqlite/sqlite_quarantine.h"
#include "store/sqlite/sqlite_runs.h"
#include "store/sqlite/sqlite_seen.h"
#include "store/sqlite/sqlite_db.h"
#include "store/sqlite/sqlite_sync.h"
#include "store/store.h"

namespace sendhub {
namespace {

using store::read_record;
using store::row_hash;

constexpr std::size_t kKindCount = kKinds.size();
class SqliteStore final : public Store {
 public:
  enum class Role { owner, reader };
  SqliteStore(const std::string& path, const std::string& schemas_dir, Role role = Role::owner)
      : db_(path), schemas_dir_(schemas_dir) {
    if (role == Role::owner) {
      // 16 KiB pages for a new store (SQLite's default is 4 KiB): a quarter of the page
      // writes and B-tree levels for the same rows. An existing store keeps its page size.
      db_.exec("PRAGMA page_size=16384");
      db_.exec("PRAGMA journal_mode=WAL");
      db_.exec("PRAGMA synchronous=FULL");
      // The store's page cache grows with the store (fit_cache); the temporary tables linking
      // works in have 64 MiB.
      fit_cache();
      db_.exec("PRAGMA temp.cache_size=-65536");
      migrate(db_, schemas_dir + "/sql");
    } else {   // the owner made the file, WAL and the schema; a reader streams (4 MiB)
      db_.exec("PRAGMA cache_size=-4096");
      db_.exec("PRAGMA temp.cache_size=-4096");
      cache_kib_ = kFixedCache;
    }
    // Before the statements that read its tables.
    seen_ = std::make_unique<sqlite::SeenKeys>(db_, sqlite::SeenKeys::store_memory_bytes.load());
    for (const auto& k : kKinds) kinds_[static_cast<std::size_t>(k.kind)] = sqlite::prepare_kind(db_, k);
    changes_ = std::make_unique<sqlite::LinkChangeLog>(db_);
  }

  // The caller holds RunLock on the file: nothing else writes the store, and walks may keep
  // the groups' copies (sqlite_group_copies.h); other commands' walks only read them.
  bool try_lock_run() override {
    keep_copies_ = true;
    if (!checkpointer_) checkpointer_ = std::make_unique<sqlite::Checkpointer>(db_);   // a run writes much
    return true;
  }

  // The run log (sqlite_runs.h).
  std::int64_t begin_run(const std::string& as_at) override { return sqlite::begin_run(db_, as_at); }
  std::int64_t mark_interrupted() override { return sqlite::mark_interrupted(db_); }
  void finish_run(std::int64_t run, const std::string& status, int exit_code) override {
    if (checkpointer_) checkpointer_->sync_each_commit();   // the run's last commit syncs all of it
    sqlite::finish_run(db_, run, status, exit_code);
  }
  std::vector<RunSummary> runs() override { return sqlite::runs(db_); }

  void begin() override {
    fit_cache();
    db_.exec("BEGIN IMMEDIATE");
    written_ = Written{};
    new_files_.clear();
    touched_years_.clear();
    changes_->forget();
  }
  void commit() override {
    deferred_.build(db_);
    db_.exec("COMMIT");
    new_files_.clear();
    changes_->forget();
  }
  // Never throws: it runs while another error is on its way up, and SQLite may already
  // have rolled back by itself (SQLITE_FULL), which must not hide that first error.
  void rollback() override {
    db_.rollback_quietly();
    deferred_.forget();
    new_files_.clear();
    changes_->forget();
    tracking_ = false;
    fresh_ = false;
    seen_->clear();
  }

  void record_source(std::int64_t run, const SourceRun& src) override { sqlite::record_source(db_, run, src); }

  void write(const Record& r, const std::string& source, std::int64_t run) override {
    auto kind = static_cast<std::size_t>(r.kind());
    sqlite::KindStatements& st = kinds_[kind];
    const std::string key = r.key();
    const std::string extras = encode_extras(r.extras);
    const std::string hash = row_hash(r, extras);
    if (!fresh_) {   // else there is no earlier version to compare with
      st.select_hash.reset().bind(1, source).bind(2, key);
      const bool same = st.select_hash.step() && st.select_hash.text(0) == hash &&
                        !store::moved_within_file({st.select_hash.text(1), st.select_hash.integer(2), ""}, r.origin);
      st.select_hash.reset();   // an open read would block DDL on this connection
      if (same) {
        ++written_.unchanged;
        return;
      }
    }
    // Everything bound lives until run() is done: bound without SQLite's copies.
    st.upsert.reset().bind_static(1, source).bind_static(2, key).bind(3, run).bind_static(4, r.origin.file)
        .bind(5, r.origin.line).bind_static(6, r.origin.path).bind(7, static_cast<std::int64_t>(r.return_year))
        .bind_static(8, hash);
    for (std::size_t i = 0; i < r.size(); ++i) st.upsert.bind_static(static_cast<int>(9 + i), r.at(i));
    st.upsert.bind_static(static_cast<int>(9 + r.size()), extras);
    st.upsert.run();
    // Everything in a first load is new: linking it all costs less than noting each record.
    if (fresh_) changes_->give_up();
    else changes_->note(r, source);
    touched_years_.insert(r.return_year);
    ++written_.stored;
  }

  Written settle() override { return std::exchange(written_, Written{}); }

  bool keep(const Record& r) override {
    if (!tracking_) return true;
    return seen_->note(static_cast<int>(r.kind()), r.key(), r.origin.file);
  }

  std::string kept_by(const Record& r) override {
    return seen_->file_of(static_cast<int>(r.kind()), r.key());
  }

  // A file read into a source that holds no record yet (a first load) has no earlier
  // version of any record to compare with and none to remove at its end: write() skips the
  // look-up, end_file() the scan of the source's rows.
  void begin_file(const std::string& source, const std::string&) override {
    tracking_ = true;
    fresh_ = std::none_of(kinds_.begin(), kinds_.end(), [&](sqlite::KindStatements& k) {
      k.any_of_source.reset().bind(1, source);
      const bool any = k.any_of_source.step();
      k.any_of_source.reset();
      return any;
    });
    // A table no source has filled yet (a new store) gets its secondary indexes at commit: at
    // 1,000,000 children (the sqlite3 shell) the census's pupils 16 -> 10 s, the people 11 -> 8 s.
    for (std::size_t k = 0; k < kKindCount && fresh_; ++k) deferred_.defer_if_empty(db_, std::string(kKinds[k].name));
    new_files_.begin(source, fresh_);
    seen_->restart();
  }

  // The rows of the files' kinds this read did not keep go: found through the keys in memory
  // when they stayed there (listed in temp.unseen, usually none), else through temp.seen.
  std::int64_t end_file(const std::string& source, const std::vector<std::string>& files) override {
    std::int64_t removed = 0;
    const bool none_before = fresh_ || new_files_.none_before(source, files);
    new_files_.read(source, files);
    for (std::size_t k = 0; k < kKindCount && !none_before; ++k)
      for (const auto& file : files) {
        sqlite::KindStatements& st = kinds_[k];
        const bool listed = seen_->in_memory();
        if (listed && seen_->list_unseen(static_cast<int>(k), st.stored_keys.reset().bind(1, source).bind(2, file)) == 0)
          continue;
        auto& years = listed ? st.listed_years : st.unseen_years;
        years.reset().bind(1, source).bind(2, file).bind(3, static_cast<std::int64_t>(k));
        while (years.step()) touched_years_.insert(static_cast<int>(years.integer(0)));
        changes_->note_removal(kKinds[k].kind, source, file,
                               listed ? sqlite::Removal::listed_unseen : sqlite::Removal::not_in_seen);
        sqlite::Stmt& remove = listed ? st.remove_listed : st.remove_unseen;
        remove.reset().bind(1, source).bind(2, file).bind(3, static_cast<std::int64_t>(k)).run();
        removed += db_.changes();
      }
    seen_->clear();
    tracking_ = false;
    fresh_ = false;
    return removed;
  }

  std::int64_t remove_file(const std::string& source, const std::string& file) override {
    std::int64_t removed = 0;
    for (const auto& k : kKinds) {
      sqlite::Stmt years(db_, "SELECT DISTINCT return_year FROM " + std::string(k.name) + " WHERE source = ?1 AND file = ?2");
      years.bind(1, source).bind(2, file);
      while (years.step()) touched_years_.insert(static_cast<int>(years.integer(0)));
      changes_->note_removal(k.kind, source, file, sqlite::Removal::whole_file);
      sqlite::Stmt s(db_, "DELETE FROM " + std::string(k.name) + " WHERE source = ?1 AND file = ?2");
      s.bind(1, source).bind(2, file).run();
      removed += db_.changes();
    }
    set_read_mark(source, file, "");
    return removed;
  }

  // Also notes, per return year, the version at which its records last changed, so the
  // validation of a year that did not change is reused.
  void data_changed() override {
    db_.exec("UPDATE dataset_state SET value = CAST(value AS INTEGER) + 1 WHERE key = 'data_version'");
    sqlite::Stmt s(db_, "INSERT OR REPLACE INTO dataset_state(key, value) SELECT ?1, value FROM dataset_state "
                        "WHERE key = 'data_version'");
    for (int year : touched_years_)
      if (year > 0) s.reset().bind(1, "year_version." + std::to_string(year)).run();
    touched_years_.clear();
  }

  LinkState link_state() override {
    LinkState out;
    sqlite::Stmt s(db_, "SELECT key, value FROM dataset_state");
    while (s.step()) {
      if (s.text(0) == "data_version") out.data_version = s.integer(1);
      if (s.text(0) == "linked_version") out.linked_version = s.integer(1);
      if (s.text(0) == "link_error") out.error = s.text(1);
    }
    return out;
  }

  std::string dataset_value(const std::string& key) override { return sqlite::dataset_value(db_, key); }

  void set_dataset_value(const std::string& key, const std::string& value) override {
    sqlite::Stmt s(db_, "INSERT OR REPLACE INTO dataset_state(key, value) VALUES (?1, ?2)");
    s.bind(1, key).bind(2, value).run();
  }

  void set_link_error(const std::string& error) override {
    sqlite::Stmt s(db_, "INSERT OR REPLACE INTO dataset_state(key, value) VALUES ('link_error', ?1)");
    s.bind(1, error).run();
  }

  // The input files read and archived (sqlite_inputs.h).
  void note_input(const std::string& source, const InputFile& in, std::int64_t run) override {
    sqlite::note_input(db_, source, in, run);
  }
  std::optional<InputFile> known_input(const std::string& source, const std::string& file,
                                       const std::string& stat) override {
    return sqlite::known_input(db_, source, file, stat);
  }
  std::string read_mark(const std::string& source, const std::string& file) override {
    return sqlite::read_mark(db_, source, file);
  }
  void set_read_mark(const std::string& source, const std::string& file, const std::string& mark) override {
    sqlite::set_read_mark(db_, source, file, mark);
  }
  std::vector<std::string> archived_files() override { return sqlite::archived_files(db_); }
  void forget_archived(const std::string& path) override { sqlite::forget_archived(db_, path); }

  void quarantine(std::int64_t run, const std::string& source, const Error& why, std::string_view raw) override {
    sqlite::quarantine(db_, run, source, why, raw);
  }
  bool carry_quarantine(const std::string& source, const std::vector<std::string>& files, std::int64_t from_run,
                        std::int64_t to_run, std::int64_t expected, const std::function<void(const Error&)>& visit) override {
    return sqlite::carry_quarantine(db_, source, files, from_run, to_run, expected, visit);
  }
  std::int64_t prune_quarantine(int days) override { return sqlite::prune_quarantine(db_, days); }

  // Sources' and sinks' own state (sqlite_runs.h).
  std::string state(const std::string& source, const std::string& key) override {
    return sqlite::source_state(db_, source, key);
  }
  void set_state(const std::string& source, const std::string& key, const std::string& value) override {
    sqlite::set_source_state(db_, source, key, value);
  }
  std::map<std::string, std::string> sink_state(const std::string& sink, const std::string& prefix) override {
    return sqlite::sink_state(db_, sink, prefix);
  }
  std::vector<std::string> sink_state_values(const std::string& sink, const std::vector<std::string>& keys) override {
    return sqlite::sink_state_values(db_, sink, keys);
  }
  void set_sink_state(const std::string& sink, const std::string& key, const std::string& value) override {
    sqlite::set_sink_state(db_, sink, key, value);
  }

  std::vector<Record> read(RecordKind kind, int return_year) override {
    std::vector<Record> out;
    each(kind, return_year, [&](Record& r) { out.push_back(std::move(r)); });
    return out;
  }

  void each(RecordKind kind, int return_year, const std::function<void(Record&)>& visit) override {
    sqlite::Stmt st(db_, kinds_[static_cast<std::size_t>(kind)].read_sql);   // its own: a visitor may read too
    st.bind(1, static_cast<std::int64_t>(return_year));
    while (st.step()) {
      Record r = read_record(st, kind, 0);
      visit(r);
    }
  }

  void each_group(int order_year, const std::function<void(StoredGroup&)>& visit) override {
    sqlite::each_group(db_, order_year, visit);
  }
  void each_copy(int order_year, const CopyMaker& maker, const CopyVisit& visit) override {
    sqlite::each_copy(db_, order_year, keep_copies_, maker, visit);   // sqlite_group_copies.h
  }
  bool reads_ahead(const std::string& mark) override { return keep_copies_ && sqlite::reads_ahead(db_, mark); }
  void drop_copies() override { sqlite::give_up_copies(db_); }
  bool each_part(const std::string& sink, const std::string& mark, int order_year, const CopyMaker& copies,
                 const std::function<std::optional<std::string>(const std::string&)>& derive_held,
                 const std::function<std::string(std::string_view)>& derive,
                 const std::function<void(std::string_view)>& use) override {
    return keep_copies_ && sqlite::each_part(db_, sink, mark, order_year, {copies, derive_held, derive}, use);   // sqlite_parts.h
  }
  void drop_parts(const std::string& sink) override { sqlite::drop_parts(db_, sink); }
  std::vector<std::string> prune_parts(const std::vector<std::string>& sinks) override {
    return sqlite::prune_parts(db_, sinks);
  }
  void each_group_key(int order_year, const std::function<void(const std::string&)>& visit) override {
    sqlite::each_group_key(db_, order_year, visit);
  }

  void each_return_person(int year, const std::function<void(std::vector<Record>&)>& visit) override {
    sqlite::each_return_person(db_, year, visit);
  }
  std::unique_ptr<Store> open_reader() override {
    return std::make_unique<SqliteStore>(db_.path(), schemas_dir_, Role::reader);
  }

  std::string data_timestamp() override {
    sqlite::Stmt s(db_, "SELECT MAX(r.started) FROM runs r JOIN run_sources s USING (run_id) "
                        "WHERE s.status = 'ok' AND (s.stored > 0 OR s.removed > 0)");
    std::string t = s.step() ? s.text(0) : "";
    if (!t.empty() && t.back() == 'Z') t.pop_back();
    return t;
  }

  std::vector<int> return_years() override {
    sqlite::Stmt s(db_, "SELECT DISTINCT return_year FROM la_return WHERE return_year > 0 UNION "
                        "SELECT DISTINCT return_year FROM person WHERE return_year > 0 ORDER BY 1");
    std::vector<int> out;
    while (s.step()) out.push_back(static_cast<int>(s.integer(0)));
    return out;
  }

  void save_issues(std::int64_t run, int year, const std::vector<IssueRow>& issues, bool replace) override {
    sqlite::save_issues(db_, run, year, issues, replace);
  }

  std::pair<std::int64_t, std::int64_t> copy_issues(std::int64_t from_run, std::int64_t run, int year) override {
    return sqlite::copy_issues(db_, from_run, run, year);
  }

  std::string year_version(int year) override { return dataset_value("year_version." + std::to_string(year)); }

  std::int64_t save_links(const LinkSet& links, std::int64_t data_version,
                          const std::map<std::string, std::string>& request_sources) override {
    return sqlite::save_links(db_, links, data_version, request_sources);
  }

  LinkSet read_links() override { return sqlite::read_links(db_); }
  LinkSet links_of(const std::string& person_key) override { return sqlite::read_links(db_, person_key); }
  std::vector<Record> linked_records_of(const std::string& person_key) override {
    return sqlite::linked_records_of(db_, person_key);
  }
  std::unique_ptr<LinkScratch> link_scratch(const std::map<std::string, std::string>& person_sources) override {
    fit_cache();
    return sqlite::open_link_scratch(db_, person_sources);
  }
  std::int64_t linked_records() override { return sqlite::linked_records(db_); }
  std::map<std::string, UnlinkedRequests> unlinked_requests() override { return sqlite::unlinked_requests(db_); }

  void keep_measures(const std::string& sink, std::int64_t run, const std::vector<MeasureRow>& rows) override {
    sqlite::keep_measures(db_, sink, run, rows);
  }

  std::vector<std::pair<std::string, MeasureRow>> measure_history(const std::string& sink) override {
    return sqlite::measure_history(db_, sink);
  }

  std::map<std::string, std::int64_t> data_quality() override { return sqlite::data_quality(db_); }

 private:
  // The store's page cache follows its size (sqlite::page_cache_kib), set as the store grows:
  // when it opens, and as each source and linking begins.
  void fit_cache() {
    if (cache_kib_ == kFixedCache) return;
    const std::int64_t kib = sqlite::page_cache_kib(sqlite::store_bytes(db_));
    if (kib != cache_kib_) db_.exec("PRAGMA cache_size=-" + std::to_string(kib));
    cache_kib_ = kib;
  }

  sqlite::Db db_;
  std::string schemas_dir_;
  std::array<sqlite::KindStatements, kKindCount> kinds_;
  std::unique_ptr<sqlite::SeenKeys> seen_;
  std::unique_ptr<sqlite::LinkChangeLog> changes_;   // made after the migrations
  bool tracking_ = false;
  bool fresh_ = false;   // this file's source held no record when it began (begin_file)
  bool keep_copies_ = false;   // try_lock_run: walks keep the groups' copies
  static constexpr std::int64_t kFixedCache = -1;
  std::int64_t cache_kib_ = 0;   // the page cache set by fit_cache(); kFixedCache: a reader's
  sqlite::NewFiles new_files_;   // files this transaction reads into a source that was empty
  sqlite::DeferredIndexes deferred_;   // of the tables this transaction fills first
  std::unique_ptr<sqlite::Checkpointer> checkpointer_;   // ends before db_ closes (declared after it)
  Written written_;
  std::set<int> touched_years_;   // return years whose records this transaction changed
};

}  // namespace


std::unique_ptr<Store> open_sqlite_store(const std::string& path, const std::string& schemas_dir) {
  return std::make_unique<SqliteStore>(path, schemas_dir);
}

}  // namespace sendhub
