// sendhub/plugin.h: the plugin API. A connector library includes only this folder.
//
// A library exports three C functions (use SENDHUB_PLUGIN): the API version it was built
// against, the ABI fingerprint of these headers (a SHA-256 the build derives from them,
// sendhub/abi_fingerprint.h), and one registering its connectors. The host loads the
// library, refuses it unless both equal its own, then asks it to register. The version is
// for people; the fingerprint catches a header change nobody remembered to version.
// Everything a connector needs from the host (settings, writing records, reading the
// store, output files, dates, logging) reaches it through the abstract contexts below,
// so a plugin links nothing of the host and never touches SQL.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sendhub/abi_fingerprint.h"
#include "sendhub/error.h"
#include "sendhub/records.h"

// Bump on any change to a type or virtual function in this folder (the README's plugin
// section says what changed). 2: ABI fingerprint, SourceContext::retire_file, a sink's
// outputs published together, ConfigKey::min/max, sendhub/csv.h, HostContext::return_year,
// Record::extras, Source::suggest, SourceContext::query and unmapped, SinkContext::check_return (replacing validation_errors), refuse and note, ReturnYear,
// ReturnIssue, Record::person_key/case_key. 3: sinks stream the dataset person by person
// (SinkContext::each_person, loaded_returns) instead of SinkContext::records and dataset;
// SourceContext::begin_file says whether a file must be read at all; SinkContext::keep_measures and
// measure_history, MeasureRow (KPI history), data_quality. 4: the assessment record's
// other_mediation_date and other_tribunal_date (issue 25); SourceContext::replaced (issue 26);
// SourceContext::begin_files (issue 27). 5: SinkContext::state and set_state, a sink's own
// state between runs (issue 28: what the alerts sink sent). 6: RecordKind::pupil, the school
// census row (issue 29), appended after advice. 7: SinkContext::each_person_part, a sink's
// work on each person kept between runs (issue 30.5). 8: SinkContext::state_values, a batch of
// the sink's state keys looked up one by one (the alerts sink's sent keys, never loaded whole).
#define SENDHUB_API_VERSION 8

namespace sendhub {

// One configuration key a connector accepts: what `sendhub connectors` prints and what
// the host checks every source's and sink's configuration against before a run.
struct ConfigKey {
  std::string name;
  std::string type;            // string, integer, boolean, path, glob, object
  bool required = false;
  std::string default_value;   // as text; empty = none
  bool secret = false;         // names an environment variable (key ends in _env)
  std::string description;
  // For integers: the range the host accepts (checked before any run, exit 2 outside it).
  std::int64_t min = INT64_MIN;
  std::int64_t max = INT64_MAX;
};

// A connector's own configuration, already checked against its ConfigKeys, with
// defaults applied.
class Settings {
 public:
  virtual ~Settings() = default;
  virtual bool has(std::string_view key) const = 0;
  virtual std::string text(std::string_view key) const = 0;
  virtual std::int64_t integer(std::string_view key) const = 0;
  virtual bool boolean(std::string_view key) const = 0;
  // A path resolved against the configuration file's folder.
  virtual std::string path(std::string_view key) const = 0;
  // Any relative path resolved the same way (e.g. the path inside a file:// URL).
  virtual std::string resolve(std::string_view relative_path) const = 0;
  // The files a glob matches (resolved as path()), sorted by name.
  virtual std::vector<std::string> glob(std::string_view key) const = 0;
  // The JSON text of an object or array value.
  virtual std::string json(std::string_view key) const = 0;
  // For a key ending in _env: the value of the environment variable it names.
  // Throws Error when the variable is not set. Never log what it returns.
  virtual std::string secret(std::string_view key) const = 0;
};

enum class LogLevel { debug, info, warning, error };

// The facts of one SEN2 return year (schemas/sen2/years.json): census day, the collection
// period, the deadline. Empty texts for a year the file does not list (census day then
// falls back to the third Thursday of January).
struct ReturnYear {
  int year = 0;
  std::string reference_date, period_start, period_end, deadline;
};

// What the rule catalogue found in a return a sink assembles, pointing at the record it
// came from: its source, file and line (a CSV row, a SEN2 element), not the output.
struct ReturnIssue {
  std::string rule, severity;   // severity: error or query
  std::string field, message;   // field: the SEN2 element
  std::string source;           // the configured source of the record
  Where where;                  // file, line and element path of that record
  std::string person_ref, reference;   // the person_key; the record's key (request_ref...)
};

// Host services common to sources and sinks.
class HostContext {
 public:
  virtual ~HostContext() = default;
  virtual const Settings& settings() const = 0;
  virtual const std::string& name() const = 0;          // the source's or sink's name
  // Never pass personal data (privacy.md §1): refer to records by file and line.
  virtual void log(LogLevel level, std::string_view message) = 0;
  virtual std::string schemas_dir() const = 0;
  // The 3-digit DfE number of the council this hub serves ("" when not configured).
  virtual std::string la_code() const = 0;
  // The one date parser: strftime-style formats tried in order; ISO when formats is empty.
  // Returns the ISO date, or nothing when the text is not a real calendar date.
  virtual std::optional<std::string> parse_date(std::string_view text,
                                                const std::vector<std::string>& formats) const = 0;
  // The one check of each identifier: "upn_check_letter", "upn_shape", "uln",
  // "nhs_number", "postcode". Returns what is wrong (never repeating the value), or "".
  virtual std::string identifier_problem(std::string_view algorithm, std::string_view value) const = 0;
  // Date arithmetic on ISO dates, from the same one date module: days since 1970-01-01
  // (nothing for a text that is not a real date), back, and whole months later (clamped
  // to the month's end: 2024-02-29 + 12 months = 2025-02-28).
  virtual std::optional<long> day_number(std::string_view iso_date) const = 0;
  virtual std::string from_day_number(long day) const = 0;
  virtual std::string add_months(std::string_view iso_date, int months) const = 0;
  // The SEN2 census day of a return year (schemas/sen2/years.json, else the third
  // Thursday of January).
  virtual std::string census_day(int year) const = 0;
  virtual ReturnYear return_year(int year) const = 0;
};

class SourceContext : public HostContext {
 public:
  // Marks the start of one input file: the host archives it and tracks which records
  // the file yields, so a corrected file replaces that file's earlier records. Call
  // end_file() only when the whole file was read: records the file held before and did
  // not yield again are then removed. A file abandoned half way keeps its old records.
  // begin_file refuses (throws Error) anything but a regular file: a FIFO or device that
  // matches a glob must not hang the run. It returns false when the file and the source's
  // configuration are byte for byte what this source last read whole: its records stand,
  // and the connector skips the file (no end_file) without parsing it.
  virtual bool begin_file(const std::string& file) = 0;
  // One input made of several files (COLLECT's Blade export: a CSV per SEN2 module, joined by
  // table ids; a source's school censuses): archives each, and returns false when every one of
  // them and the configuration are what this source last read whole. When true, the files are
  // read as one: a record is kept under its origin.file (which may be any of them, or the first
  // for all, as Blade does), and end_file() removes what any of them held before and did not
  // yield again. A key given again by another of the files than the one that gave it first is
  // that file's older copy: skipped and counted as replaced, not refused as a duplicate (so
  // read the latest file first). The first file's read mark stands for all of them.
  virtual bool begin_files(const std::vector<std::string>& files) = 0;
  virtual void end_file() = 0;
  // Removes every record this source stored from `file`, a file it read in an earlier run
  // and has been told to stop using (a return re-delivered under a new name). Counted as
  // removed; the connector logs why.
  virtual void retire_file(const std::string& file) = 0;
  // Writes a group of records that stand or fall together (a SEN2 Person with its
  // chain, one CSV row). Returns false when the host quarantined the group, with
  // its raw text and the reason, instead of storing it.
  virtual bool write(std::vector<Record>& group, std::string_view raw) = 0;
  // Something that was read but cannot become records (a malformed file, a bad row).
  virtual void quarantine(const Error& why, std::string_view raw) = 0;
  // A group the connector itself found wrong: quarantined as write() would do; the last
  // good version of each record in it stays in the store.
  virtual void quarantine(std::vector<Record>& group, const Error& why, std::string_view raw) = 0;
  // An entry read and not written because another copy of the same record read in this run
  // is the current one (a FHIR Task met twice while paging, the later copy first): counted
  // as replaced, so that read = stored + unchanged + quarantined + replaced.
  virtual void replaced() = 0;
  // A problem that does not stop the record (an element out of the year's order): a
  // query in `validate`'s report; in a run it is logged and the record is stored.
  virtual void query(const Error& what) = 0;
  // A value of a code column that the mapping does not map (never free text): `validate`
  // lists each with its count so the profile can be completed; a run only counts them.
  virtual void unmapped(std::string_view /*field*/, std::string_view /*value*/) {}
  // Small per-source state (high-water marks), committed with the source's records.
  virtual std::string state(std::string_view key) const = 0;
  virtual void set_state(std::string_view key, std::string value) = 0;
};

// A file a sink writes: created 0600 beside its target. commit() says the file is whole
// (flushed to disk); the host renames every committed file of a sink onto its target only
// after the sink's write() returned, so a sink's outputs change together or not at all.
// Destroyed without commit(), or when the sink fails, it leaves nothing behind.
class OutputFile {
 public:
  virtual ~OutputFile() = default;
  virtual void write(std::string_view bytes) = 0;
  virtual void commit() = 0;
};

// One person of the linked dataset, as SinkContext::each_person gives it.
struct PersonGroup {
  // The person_key; "" for a case (or advice) linked to no person: each comes alone.
  std::string person_key;
  // Linked and de-duplicated across sources, in canonical order: the person (person_ref is
  // the person_key), then each case by case_key: its request (one per case, fields merged
  // by precedence; request_ref the winning source's reference), assessment, plan, plan
  // details, reviews, placements, needs and advice, all pointing at the case's request_ref;
  // then advice linked to the person and no case. Every record has person_key and case_key.
  std::vector<Record> records;
  // The person's records as the SEN2 returns of PersonQuery::loaded_years held them (not
  // merged), with person_key and case_key: a loaded return set beside the dataset.
  std::vector<Record> loaded;
};

// One row of a KPI snapshot, in the columns of interfaces.md §6 (kpis.csv).
struct MeasureRow {
  std::string measure, period_start, period_end, as_at, breakdown, breakdown_value;
  std::int64_t numerator = 0;
  std::optional<std::int64_t> denominator;   // rates only
  std::string value;
};

struct PersonQuery {
  // > 0: the persons the loaded SEN2 return of this year reported come first, in that
  // file's order; the others follow by person_key. 0: by person_key.
  int order_year = 0;
  std::vector<int> loaded_years;
};

class SinkContext : public HostContext {
 public:
  // The one SEND dataset, streamed: `visit` is called once per person (or unlinked case)
  // and may keep nothing it is given. Memory does not grow with the dataset. May be called
  // more than once.
  virtual void each_person(const PersonQuery& query, const std::function<void(PersonGroup&)>& visit) = 0;
  // The same walk, with the sink's work on each person kept between runs (issue 30.5): `derive`
  // turns one person into bytes (what the sink takes from them: its rows, its counts) and `use`
  // is given every person's bytes in the walk's order. The host keeps the bytes beside the
  // person's group and deletes them when linking changes the group, so after a night's change
  // derive runs only for the people whose records or links changed; every other person's kept
  // bytes go to use without the person being read. derive must depend only on the person and
  // on what `mark` names (the as-at date when it reads it, a reference file's contents: bytes
  // kept under another mark are derived again); the host adds the sink's configuration, the
  // files its path keys name, the query, the plugin library and the build. A run keeps the
  // bytes; `sendhub export` and a store that keeps none derive every person, as each_person.
  virtual void each_person_part(const PersonQuery& query, std::string_view mark,
                                const std::function<std::string(PersonGroup&)>& derive,
                                const std::function<void(std::string_view part)>& use) = 0;
  // The headers (la_return records) of the SEN2 returns loaded, one per year.
  virtual std::vector<Record> loaded_returns() = 0;
  // KPI history (issue 13): keeps a snapshot's rows in the store under this sink's name,
  // replacing what it kept for the same period and as-at date; and every snapshot it kept,
  // oldest as-at date first.
  virtual void keep_measures(const std::vector<MeasureRow>& rows) = 0;
  virtual std::vector<MeasureRow> measure_history() = 0;
  // Counts of what the dataset could not use, for a data-quality panel: link_conflicts,
  // unlinked_requests, unlinked_advice, quarantined (by the latest run).
  virtual std::map<std::string, std::int64_t> data_quality() = 0;
  virtual std::string as_at() const = 0;             // ISO date the run reports as at
  // When the store's data last changed (ISO date-time), for output headers that must
  // not change when the data has not.
  virtual std::string data_timestamp() const = 0;
  virtual std::unique_ptr<OutputFile> create_output(const std::string& path) = 0;
  // The rule catalogue of `year` over one group of a return the sink assembles: the
  // header (la_return) first, then one Person with its chains at a time, as `validate`
  // reads a file (uniqueness rules remember earlier groups of the same year).
  virtual std::vector<ReturnIssue> check_return(int year, const std::vector<Record>& group) = 0;
  // The sink withholds its main output for a reason in the data (a statutory return with
  // validation errors) but its other committed outputs (the report saying what to fix)
  // are published: the sink counts as failed with this reason (exit 3). Return normally
  // after calling it.
  virtual void refuse(const Error& why) = 0;
  // One line (counts, never values) for this sink's entry in the run's JSON summary.
  virtual void note(std::string_view line) = 0;
  // A sink's own state in the store between runs (what the alerts sink sent, and when):
  // every key of this sink that starts with `prefix`, with its value. set_state is stored at
  // once, whatever becomes of the run afterwards, because it records something done outside
  // the hub (a message sent) that must not be done twice; "" removes the key.
  virtual std::map<std::string, std::string> state(std::string_view prefix) = 0;
  virtual void set_state(std::string_view key, std::string value) = 0;
  // The values of these keys, in their order ("" for a key never set): one indexed look-up
  // each. A sink that checks what it finds against everything it ever kept (the alerts sent)
  // asks in batches, so its memory does not grow with that history as state(prefix)'s would.
  virtual std::vector<std::string> state_values(const std::vector<std::string>& keys) = 0;
};

class Source {
 public:
  virtual ~Source() = default;
  // Before any run: checks what the host cannot (a mapping profile, a URL). Throws Error
  // naming the key; the host then stops with a configuration error and does nothing.
  virtual void check(const Settings& /*settings*/) {}
  // For `sendhub check`: tries to reach what read() would read (an endpoint, a token)
  // without loading anything. Throws Error saying what failed.
  virtual void probe(const Settings& /*settings*/) {}
  virtual void read(SourceContext& ctx) = 0;
  // For `sendhub profile suggest`, after Airbyte's discover: a draft configuration (JSON) for
  // reading `file` as records of `record` ("" to guess), from its header and a sample. Shows
  // values of code columns only, never names, dates or identifiers. "" when not supported.
  virtual std::string suggest(const std::string& /*file*/, const std::string& /*record*/,
                              const HostContext& /*host*/) {
    return "";
  }
};

class Sink {
 public:
  virtual ~Sink() = default;
  virtual void check(const Settings& /*settings*/) {}
  virtual void write(SinkContext& ctx) = 0;
};

// One connector. A connector may be a source, a sink, or both under one name.
struct ConnectorInfo {
  std::string name;
  std::string version;
  std::string description;
  std::vector<ConfigKey> source_keys;
  std::vector<ConfigKey> sink_keys;
  std::function<std::unique_ptr<Source>()> make_source;   // empty when not a source
  std::function<std::unique_ptr<Sink>()> make_sink;       // empty when not a sink
};

class Registry {
 public:
  virtual ~Registry() = default;
  virtual void add(ConnectorInfo info) = 0;
};

}  // namespace sendhub

#define SENDHUB_EXPORT extern "C" __attribute__((visibility("default")))

// In exactly one file of a plugin: SENDHUB_PLUGIN(register_function)
#define SENDHUB_PLUGIN(register_fn)                                                          \
  SENDHUB_EXPORT int sendhub_plugin_api_version() { return SENDHUB_API_VERSION; }               \
  SENDHUB_EXPORT const char* sendhub_plugin_abi_fingerprint() { return SENDHUB_ABI_FINGERPRINT; } \
  SENDHUB_EXPORT void sendhub_plugin_register(sendhub::Registry& registry) { register_fn(registry); }
