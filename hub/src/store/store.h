// store/store.h: the SEND dataset store. The pipeline and the connector contexts talk to
// this interface only; SQLite is one implementation (PostgreSQL will be another).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sendhub/plugin.h"
#include "sendhub/records.h"
#include "store/link_scratch.h"
#include "store/link_types.h"

namespace sendhub {

struct SourceCounts {
  std::int64_t read = 0, stored = 0, unchanged = 0, quarantined = 0, removed = 0;
  std::int64_t files_skipped = 0;   // unchanged since read whole: not parsed
  std::int64_t replaced = 0;        // read, and superseded by another copy read in the same run
};

struct SourceRun {
  std::string name, status, error;
  SourceCounts counts;
  double seconds = 0;   // how long it took (the run summary; not stored)
};

// A stage or sink of a run: ok, failed or skipped, and why (rule and message, no values).
struct StageRun {
  std::string name, status, error, note;
  double seconds = 0;
};

struct RunSummary {
  std::int64_t run_id = 0;
  std::string started, finished, status, as_at;
  int exit_code = 0;
  std::vector<SourceRun> sources;
  StageRun linking, validation;
  StageRun resolved;   // a pool's resolved copy (pipeline/resolved_dataset.h); status "" when none
  std::vector<StageRun> sinks;
};

struct InputFile {
  std::string file, sha256, archived;
  std::int64_t size = 0;
  // The file's size, times, device and inode when it was hashed (pipeline/input_archive.h),
  // "" when too fresh to trust: a file whose stat is unchanged is not hashed again.
  std::string stat;
};

// One group of the dataset as the store holds it: every source's records (raw, any year) of
// one person, or of one case or advice linked to no person; each record's case_key is set.
struct StoredGroup {
  std::string key;                         // the person_key, or "case:..." / "advice:..."
  std::optional<LinkedPerson> person;      // the person's resolved values, when linked
  std::vector<Record> records;
};

// How a walk's caller turns a group into its copy (the group as its sinks see it, merged by
// precedence and encoded: pipeline/resolved_dataset.h), and the mark that names that way (the
// link configuration, the codec, the build). A file store keeps each group's copy between runs
// while the mark stands, so a walk after a night's change makes again only the changed groups'.
struct CopyMaker {
  std::string mark;
  std::function<std::string(StoredGroup&)> make;
};
// A walk's visitor of copies: the group's key and its copy (valid until the visit returns).
using CopyVisit = std::function<void(const std::string& key, std::string_view copy)>;

// Whether the links describe the data (migration 004).
struct LinkState {
  std::int64_t data_version = 0, linked_version = 0;
  std::string error;   // why the last linking failed; "" when it did not
  bool current() const { return data_version == linked_version; }
};

class Store {
 public:
  virtual ~Store() = default;

  // Held until the store is closed: no other run of the same dataset may start meanwhile
  // (on a pool, a council's advisory lock: other councils' hubs load at the same time).
  // False when another holds it. A file store's lock is the file beside it (RunLock).
  virtual bool try_lock_run() = 0;

  // The run log. Runs are written outside the per-source transactions.
  virtual std::int64_t begin_run(const std::string& as_at) = 0;
  // Runs left "running" by a process that died: marked "interrupted" (the caller holds the
  // run lock, so none of them is alive). Returns how many.
  virtual std::int64_t mark_interrupted() = 0;
  virtual void finish_run(std::int64_t run, const std::string& status, int exit_code) = 0;
  virtual std::vector<RunSummary> runs() = 0;

  // One transaction per source per run: everything below until commit() or rollback().
  virtual void begin() = 0;
  virtual void commit() = 0;
  virtual void rollback() = 0;
  virtual void record_source(std::int64_t run, const SourceRun& source) = 0;
  // Stores the record unless the source already holds it unchanged. A server's store may
  // queue it, to send a batch at once (COPY); settle() writes whatever is queued and says how
  // many of the writes since the last settle() were stored and how many were unchanged.
  virtual void write(const Record& record, const std::string& source, std::int64_t run) = 0;
  struct Written {
    std::int64_t stored = 0, unchanged = 0;
  };
  virtual Written settle() = 0;
  // Notes the record's key as seen in the current file without writing it (a quarantined
  // new version keeps the last good one in place instead of removing it). Returns false
  // when this file already gave that key: a duplicate, which must not silently win.
  virtual bool keep(const Record& record) = 0;
  // The origin.file of the record that kept this key first in the current reading (after keep()
  // returned false): another file of files read as one gave it, or this file did, twice.
  virtual std::string kept_by(const Record& record) = 0;
  // Between begin_file and end_file the store notes every key kept (keep() before each
  // write); end_file removes the earlier records of those files (a source's files read as
  // one, SourceContext::begin_files) that were not seen again and returns how many.
  virtual void begin_file(const std::string& source, const std::string& file) = 0;
  virtual std::int64_t end_file(const std::string& source, const std::vector<std::string>& files) = 0;
  // Removes every record of the source that came from the file; returns how many.
  virtual std::int64_t remove_file(const std::string& source, const std::string& file) = 0;
  // Inside a source's transaction: its records changed, so the links are out of date.
  virtual void data_changed() = 0;
  virtual LinkState link_state() = 0;
  // Other facts of the dataset as a whole (dataset_state): "" when unset.
  virtual std::string dataset_value(const std::string& key) = 0;
  virtual void set_dataset_value(const std::string& key, const std::string& value) = 0;
  virtual void set_link_error(const std::string& error) = 0;
  // Also adds its archived copy, if any, to the archive's manifest.
  virtual void note_input(const std::string& source, const InputFile& input, std::int64_t run) = 0;
  // The input as last noted for the source's file, when it was noted with this stat ("" never
  // matches); else nothing, and the file is hashed.
  virtual std::optional<InputFile> known_input(const std::string& source, const std::string& file,
                                               const std::string& stat) = 0;
  // What a file and its source's configuration were (SHA-256s) when the source last read the
  // whole file (and how many records it quarantined, and in which run); "" when never. Set
  // inside the source's transaction.
  virtual std::string read_mark(const std::string& source, const std::string& file) = 0;
  virtual void set_read_mark(const std::string& source, const std::string& file, const std::string& mark) = 0;
  // The archive's manifest: copies the hub wrote (what retention may delete), and removal.
  virtual std::vector<std::string> archived_files() = 0;
  virtual void forget_archived(const std::string& path) = 0;
  virtual void quarantine(std::int64_t run, const std::string& source, const Error& why,
                          std::string_view raw) = 0;
  // The records `source` quarantined from `files` in run `from_run` (a file read whole then and
  // unchanged since), copied into run `to_run` as a reading of them would quarantine them again,
  // each given to `visit` as the error it was. Nothing is copied unless there are exactly
  // `expected` (retention may have deleted them: the file is then read again); returns whether
  // they were.
  virtual bool carry_quarantine(const std::string& source, const std::vector<std::string>& files, std::int64_t from_run,
                                std::int64_t to_run, std::int64_t expected, const std::function<void(const Error&)>& visit) = 0;
  // Retention (privacy.md §7): deletes quarantined records of runs that started more than
  // `days` days ago; returns how many.
  virtual std::int64_t prune_quarantine(int days) = 0;
  virtual std::string state(const std::string& source, const std::string& key) = 0;
  virtual void set_state(const std::string& source, const std::string& key, const std::string& value) = 0;
  // A sink's own state between runs (migration 011, sink_state): every key of the sink that
  // starts with `prefix`. set_sink_state is written at once, outside any transaction of the
  // run, with the time it was written; "" removes the key.
  virtual std::map<std::string, std::string> sink_state(const std::string& sink, const std::string& prefix) = 0;
  // The values of these keys of the sink, in their order ("" for a key never set): one indexed
  // look-up each, so a sink asks of what it holds instead of loading everything it ever kept.
  virtual std::vector<std::string> sink_state_values(const std::string& sink, const std::vector<std::string>& keys) = 0;
  virtual void set_sink_state(const std::string& sink, const std::string& key, const std::string& value) = 0;

  // Records of a kind (return_year 0 = all), in source order: for linking, which needs
  // every person at once.
  virtual std::vector<Record> read(RecordKind kind, int return_year) = 0;
  // The same, one record at a time.
  virtual void each(RecordKind kind, int return_year, const std::function<void(Record&)>& visit) = 0;
  // The dataset for sinks, one group at a time in bounded memory: the groups by person_key,
  // or (order_year > 0) the persons the loaded return of that year reported first, in its
  // order. Reads the links saved last, and the record tables.
  virtual void each_group(int order_year, const std::function<void(StoredGroup&)>& visit) = 0;
  // The same groups as their copies (CopyMaker): kept between runs where this store can (a file
  // store whose links describe the data), each made once after its group changes, and kept only
  // by a walk under the run lock (another writes nothing); else each made as it is walked.
  virtual void each_copy(int order_year, const CopyMaker& maker, const CopyVisit& visit) {
    each_group(order_year, [&](StoredGroup& g) {
      const std::string copy = maker.make(g);
      visit(g.key, copy);
    });
  }
  // Whether each_copy under `mark` will read every group on a thread of its own (a file store's
  // first walk of a linked dataset, which makes and keeps every copy): a caller need not read it
  // ahead then.
  virtual bool reads_ahead(const std::string& /*mark*/) { return false; }
  // Deletes every kept copy (one proved damaged: the next walk makes them all again).
  virtual void drop_copies() {}
  // A sink's work on each group kept between runs (issue 30.5; SinkContext::each_person_part):
  // the parts `sink` kept under `mark`, given to `use` in each_group's order for order_year. A
  // group without one gets it first: from `derive_held(key)` when the caller holds the group
  // (the run's walk cache), else from its copy (kept, or made by `copies`), given to `derive`.
  // Linking deletes a group's parts when it changes the group, and so does a change of the
  // copies' mark. False, having done nothing, when this store keeps no parts or cannot now (a
  // walk outside a run, links that do not describe the data): the caller derives every group.
  virtual bool each_part(const std::string& /*sink*/, const std::string& /*mark*/, int /*order_year*/,
                         const CopyMaker& /*copies*/,
                         const std::function<std::optional<std::string>(const std::string&)>& /*derive_held*/,
                         const std::function<std::string(std::string_view copy)>& /*derive*/,
                         const std::function<void(std::string_view)>& /*use*/) {
    return false;
  }
  // Deletes what each_part kept for `sink` (its parts proved damaged): the next walk derives all.
  virtual void drop_parts(const std::string& /*sink*/) {}
  // Deletes the parts of every sink not in `sinks` (one removed from the configuration); returns
  // their names.
  virtual std::vector<std::string> prune_parts(const std::vector<std::string>& /*sinks*/) { return {}; }
  // The groups' keys in each_group's order for order_year, one at a time (what a walk kept
  // in memory or spilled needs to be served in another order).
  virtual void each_group_key(int order_year, const std::function<void(const std::string&)>& visit) = 0;
  // For validation: the records of one return year, one person (and their requests'
  // records) at a time.
  virtual void each_return_person(int year, const std::function<void(std::vector<Record>&)>& visit) = 0;
  // A second connection to the same store, for another thread to read beside this one (a
  // run validates on it while this one links and its sinks run): it sees what was committed,
  // writes nothing, and keeps a small page cache (its reads stream).
  virtual std::unique_ptr<Store> open_reader() = 0;
  // Start of the latest run that changed data, as YYYY-MM-DDThh:mm:ss ("" when none).
  virtual std::string data_timestamp() = 0;
  // The SEN2 return years the store holds records of.
  virtual std::vector<int> return_years() = 0;

  // What validation found at a run, for one return year: `replace` drops what that run
  // saved for the year before (the first batch), else the rows are added.
  struct IssueRow {
    std::string rule, severity, file;
    std::int64_t line = 0;
    std::string path, field, message, person_ref;
  };
  virtual void save_issues(std::int64_t run, int return_year, const std::vector<IssueRow>& issues, bool replace) = 0;
  // The issues of `from_run` for a year, saved again for `run` (a year that did not change);
  // returns how many errors and how many queries.
  virtual std::pair<std::int64_t, std::int64_t> copy_issues(std::int64_t from_run, std::int64_t run, int return_year) = 0;
  // The data version at which records of a return year last changed ("" when unknown).
  virtual std::string year_version(int return_year) = 0;

  // Replaces the links with these, in one transaction, touching only rows that differ, and
  // records that they describe data_version; returns how many rows changed. Also indexes
  // each record's group and case for each_group; request_sources: link.request_sources.
  virtual std::int64_t save_links(const LinkSet& links, std::int64_t data_version,
                                  const std::map<std::string, std::string>& request_sources = {}) = 0;
  virtual LinkSet read_links() = 0;
  // One person's links (indexed look-ups, for explain), and their person and advice records.
  virtual LinkSet links_of(const std::string& person_key) = 0;
  virtual std::vector<Record> linked_records_of(const std::string& person_key) = 0;
  // Where linking works (link/linker.h): its save() replaces the links as save_links does.
  // person_sources: link.person_sources.
  virtual std::unique_ptr<LinkScratch> link_scratch(const std::map<std::string, std::string>& person_sources) = 0;
  // How many person records are linked (0 before the first linking).
  virtual std::int64_t linked_records() = 0;
  // Requests linked to no person, per source: how many, and how many of them name a
  // person_ref that another source of person records holds (for link.person_sources hints).
  struct UnlinkedRequests {
    std::int64_t count = 0;
    std::map<std::string, std::int64_t> named_in;   // person source -> requests naming its refs
  };
  virtual std::map<std::string, UnlinkedRequests> unlinked_requests() = 0;

  // KPI snapshots (migration 008): a sink's rows replace what it kept for the same period
  // and as-at date; the history is every sink's ("" for all) as (sink, row), by as-at date.
  virtual void keep_measures(const std::string& sink, std::int64_t run, const std::vector<MeasureRow>& rows) = 0;
  virtual std::vector<std::pair<std::string, MeasureRow>> measure_history(const std::string& sink) = 0;
  // link_conflicts, unlinked_requests, unlinked_advice, quarantined (latest run).
  virtual std::map<std::string, std::int64_t> data_quality() = 0;

  // The resolved dataset (what sinks see, one record at a time in the dataset's order), kept
  // for the store's readers that are not the hub: a pool's pseudonymised views and pooled KPIs
  // (schemas/pg/002_resolved.sql). What was kept is replaced at commit(), with `mark` (what
  // it describes); a writer dropped before commit() changes nothing.
  class ResolvedWriter {
   public:
    virtual ~ResolvedWriter() = default;
    virtual void add(const Record& record, const std::string& person_key, const std::string& case_key) = 0;
    virtual void commit(const std::string& mark) = 0;
  };
  // nullptr: this store keeps no resolved copy (a council's own file: its sinks are its readers).
  virtual std::unique_ptr<ResolvedWriter> resolved_writer() { return nullptr; }
};

// Opens (creating 0600 when missing) and migrates to the newest schema in schemas_dir/sql.
std::unique_ptr<Store> open_sqlite_store(const std::string& path, const std::string& schemas_dir);

// A council's part of a regional pool on PostgreSQL (store/pg_store.cpp). The schema must be
// at the newest version in schemas_dir/pg (an administrator applies it: migrate_pg_pool); the
// role connected as must be registered as a council (sendhub_add_council in the schema).
std::unique_ptr<Store> open_pg_store(const std::string& conninfo, const std::string& password_env,
                                     const std::string& schemas_dir);
// Applies schemas_dir/pg's migrations the pool does not have yet, as the role connected as
// (the pool's owner); returns how many.
int migrate_pg_pool(const std::string& conninfo, const std::string& password_env, const std::string& schemas_dir);
// The pooled KPIs (issue 14), computed on the server over every council's resolved dataset:
// each council's rows, and the pool's ("all"). The role must be a pool reader.
struct PooledMeasure {
  std::string council;
  MeasureRow row;
};
std::vector<PooledMeasure> pooled_measures(const std::string& conninfo, const std::string& password_env,
                                           const std::string& start, const std::string& end, const std::string& as_at);

}  // namespace sendhub
