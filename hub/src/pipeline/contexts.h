// pipeline/contexts.h: what a connector sees of the host. The source context validates
// each group of records, writes it or quarantines it, and counts; the sink context
// reads the store and creates private, atomic output files.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sendhub/plugin.h"
#include "config/hub_config.h"
#include "io/private_file.h"
#include "pipeline/dataset_cache.h"
#include "pipeline/input_archive.h"
#include "pipeline/validate_store.h"
#include "records/code_check.h"
#include "store/store.h"

namespace sendhub {

struct HostServices {
  std::string name;
  std::unique_ptr<Settings> settings;
  std::string schemas_dir;
  std::string la_code;
};

struct Binding;
// What a configured connector's context is made with (its settings move into it: once a run).
HostServices host_services(const HubConfig& cfg, Binding& b);

// The HostContext part both contexts share.
template <class Base>
class HostImpl : public Base {
 public:
  explicit HostImpl(HostServices host) : host_(std::move(host)) {}
  const Settings& settings() const override { return *host_.settings; }
  const std::string& name() const override { return host_.name; }
  void log(LogLevel level, std::string_view message) override;
  std::string schemas_dir() const override { return host_.schemas_dir; }
  std::string la_code() const override { return host_.la_code; }
  std::optional<std::string> parse_date(std::string_view text,
                                        const std::vector<std::string>& formats) const override;
  std::string identifier_problem(std::string_view algorithm, std::string_view value) const override;
  std::optional<long> day_number(std::string_view iso_date) const override;
  std::string from_day_number(long day) const override;
  std::string add_months(std::string_view iso_date, int months) const override;
  std::string census_day(int year) const override;
  ReturnYear return_year(int year) const override;

 protected:
  HostServices host_;
};

class SourceContextImpl final : public HostImpl<SourceContext> {
 public:
  // config_mark: a digest of the source's configuration and this build; "" reads every
  // file every time.
  SourceContextImpl(HostServices host, Store& store, std::int64_t run, std::string archive_dir,
                    const CodeCheck* codes = nullptr, std::string config_mark = "");
  bool begin_file(const std::string& file) override { return begin_files({file}); }
  bool begin_files(const std::vector<std::string>& files) override;
  void end_file() override;
  void retire_file(const std::string& file) override;
  bool write(std::vector<Record>& group, std::string_view raw) override;
  void quarantine(const Error& why, std::string_view raw) override;
  void quarantine(std::vector<Record>& group, const Error& why, std::string_view raw) override;
  void replaced() override { ++counts_.read, ++counts_.replaced; }
  void query(const Error& what) override;
  std::string state(std::string_view key) const override;
  void set_state(std::string_view key, std::string value) override;
  const SourceCounts& counts() const { return counts_; }
  // Waits for the archive's copies of the files read (made beside the reading); rethrows the
  // first that failed. Before the source's transaction commits: the store notes them as kept.
  void wait_for_archive() { archive_copies_.wait(); }

 private:
  void report(const Error& why);
  bool stands(const std::vector<std::string>& files, const std::string& mark);
  std::string read_mark(const std::string& mark, std::int64_t quarantined) const;
  void progress();
  Store& store_;
  std::int64_t run_;
  std::string archive_dir_;
  ArchiveCopies archive_copies_;
  const CodeCheck* codes_;
  std::string config_mark_, file_mark_;
  std::int64_t file_quarantined_ = 0;
  std::string file_;                 // the first of files_, whose read mark stands for them all
  std::vector<std::string> files_;   // read as one (begin_files)
  std::vector<char> given_by_other_;  // per record of the group in write(): another file gave it
  SourceCounts counts_;
  std::int64_t reported_ = 0, queried_ = 0;
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now(), shown_ = started_;
  std::chrono::steady_clock::time_point file_started_ = started_;
  std::int64_t file_size_ = 0, file_bytes_ = 0;   // the current file's size, and the raw text read of it
  bool showing_ = false;

 public:
  ~SourceContextImpl() override;
};

// Host services without a store: records are checked as the store's door checks them, then
// dropped (the fuzz harnesses; `profile suggest`).
class DryRunContext final : public HostImpl<SourceContext> {
 public:
  explicit DryRunContext(HostServices host) : HostImpl(std::move(host)) {}
  bool begin_file(const std::string&) override { return true; }
  bool begin_files(const std::vector<std::string>&) override { return true; }
  void end_file() override {}
  void retire_file(const std::string&) override {}
  bool write(std::vector<Record>& group, std::string_view raw) override;
  void quarantine(const Error& why, std::string_view) override { (void)why.describe(); }
  void quarantine(std::vector<Record>&, const Error& why, std::string_view) override { (void)why.describe(); }
  void replaced() override {}
  void query(const Error& what) override { (void)what.describe(); }
  std::string state(std::string_view) const override { return ""; }
  void set_state(std::string_view, std::string) override {}
};

class SinkContextImpl final : public HostImpl<SinkContext> {
 public:
  ~SinkContextImpl() override;
  // run: the run this sink is part of (0 for `sendhub kpis` and `export`).
  SinkContextImpl(HostServices host, Store& store, std::string as_at, const HubConfig& cfg, std::int64_t run = 0);
  void each_person(const PersonQuery& query, const std::function<void(PersonGroup&)>& visit) override;
  void each_person_part(const PersonQuery& query, std::string_view mark, const std::function<std::string(PersonGroup&)>& derive,
                        const std::function<void(std::string_view part)>& use) override;
  // The run's walks of the dataset, shared by its sinks (without one, each walk reads the store).
  void share_walks(DatasetCache& cache) { cache_ = &cache; }
  // In a run: what this sink's kept parts depend on besides the person and the sink's own mark
  // (parts_mark: its configuration and files, its library, the build). Without it every person
  // is derived and nothing is kept (`export`, `kpis`).
  void keep_parts(std::string host_mark) { parts_mark_ = std::move(host_mark); }
  std::vector<Record> loaded_returns() override {
    const auto held = store_held();
    return store_.read(RecordKind::la_return, 0);
  }
  void keep_measures(const std::vector<MeasureRow>& rows) override {
    const auto held = store_held();
    store_.keep_measures(host_.name, run_, rows);
  }
  std::vector<MeasureRow> measure_history() override;
  std::map<std::string, std::int64_t> data_quality() override {
    const auto held = store_held();
    return store_.data_quality();
  }
  std::string as_at() const override { return as_at_; }
  std::string data_timestamp() const override {
    const auto held = store_held();
    return store_.data_timestamp();
  }
  std::unique_ptr<OutputFile> create_output(const std::string& path) override;
  std::vector<ReturnIssue> check_return(int year, const std::vector<Record>& group) override;
  void refuse(const Error& why) override { refused_ = why; }
  void note(std::string_view line) override { note_ = line; }
  std::map<std::string, std::string> state(std::string_view prefix) override {
    const auto held = store_held();
    return store_.sink_state(host_.name, std::string(prefix));
  }
  void set_state(std::string_view key, std::string value) override {
    const auto held = store_held();
    store_.set_sink_state(host_.name, std::string(key), value);
  }
  std::vector<std::string> state_values(const std::vector<std::string>& keys) override {
    const auto held = store_held();
    return store_.sink_state_values(host_.name, keys);
  }
  const std::string& noted() const { return note_; }
  const std::optional<Error>& refused() const { return refused_; }
  // What the parts the store kept for this sink took this run (each_person_part): the seconds
  // spent outside the sink's use of them (deriving, reading and saving), and how many people it
  // derived of how many it used. The next run's order of the sinks scales it to its own change.
  struct PartsWork {
    double seconds = 0;
    std::int64_t derived = 0, used = 0;
  };
  const PartsWork& parts_work() const { return parts_work_; }
  // After write() returned: every committed output takes its name.
  std::vector<io::PublishedFile> publish() { return outputs_.publish(); }

 private:
  // The store's connection, which a walk reading ahead uses on another thread between groups
  // (DatasetCache::store_gate): every use of the store here holds it.
  std::unique_lock<StoreGate> store_held() const {
    return cache_ ? std::unique_lock<StoreGate>(cache_->store_gate()) : std::unique_lock<StoreGate>();
  }

  io::OutputBatch outputs_;
  Store& store_;
  std::string as_at_;
  const HubConfig& cfg_;
  DatasetCache* cache_ = nullptr;
  std::string parts_mark_;
  PartsWork parts_work_;
  std::int64_t run_ = 0;
  std::optional<Error> refused_;
  std::string note_;
  struct Checker;                                // the catalogue and a validator per year
  std::unique_ptr<Checker> checker_;
};

}  // namespace sendhub
