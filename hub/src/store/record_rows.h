// store/record_rows.h: how a record kind's table is read back, the same for every store:
// which columns a statement selects, in which order, and how a row of them becomes a Record.
// Dialect-free (plain column names), so SQLite and PostgreSQL share it.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sendhub/records.h"
#include "store/extras_codec.h"
#include "store/link_types.h"
#include "store/store.h"

namespace sendhub::store {

// The column of a kind's table that holds the reference linking joins it on: its key (rkey)
// when the kind is keyed by that reference alone, else request_ref, or person_ref for a kind
// that hangs from a person.
const char* ref_column(RecordKind kind);
// Whether records of the kind hang from a request (assessment, plan, placement, need...).
bool hangs_from_request(RecordKind kind);
// Whether records of the kind hang from a person record of their own source (a census pupil):
// they belong to whichever group that person is linked into, and link nothing themselves.
bool hangs_from_person(RecordKind kind);

// The record columns a statement selects from table alias `a`, in the order read_record
// reads them back: the fields, then file, line, path, return_year, source, run_id, extras.
// Linking never looks at a record's extras: it selects '' in their place (Extras::skipped), as
// decoding their JSON took a quarter of resolving 300,000 people.
enum class Extras { read, skipped };
std::string record_columns(RecordKind kind, const std::string& a, Extras extras = Extras::read);

// Row: any result row with text(col) ("" for NULL) and integer(col).
template <class Row>
Record read_record(const Row& row, RecordKind kind, int first) {
  Record r(kind);
  const int n = static_cast<int>(r.size());
  for (int i = 0; i < n; ++i) r.set_at(static_cast<std::size_t>(i), row.text(first + i));
  const int base = first + n;
  r.origin = Where{row.text(base), row.integer(base + 1), row.text(base + 2)};
  r.return_year = static_cast<int>(row.integer(base + 3));
  r.source = row.text(base + 4);
  r.run_id = row.integer(base + 5);
  r.extras = decode_extras(row.text(base + 6));
  return r;
}

// A hash of the record's values, return year and extras: what tells an unchanged reload
// from a change. The same in every store and every build.
std::string row_hash(const Record& r);
// The same, given encode_extras(r.extras) (a writer that stores it too encodes it once).
std::string row_hash(const Record& r, std::string_view extras);
// Whether a record whose values did not change moved to another line of its file (a row deleted
// or added above it in a re-export, a Person inserted before it in a return): it is stored
// again, so that reports name the line it is on now. A record given again by another file keeps
// where it was stored, and one without lines (a FHIR Task: its place in a page depends on the
// query) never moves. pg_load.cpp's merge says the same in SQL.
bool moved_within_file(const Where& stored, const Where& now);

// The run log and KPI history read back, the same from either store. Row: as read_record's.
// runs: "run_id, started, finished, status, as_at, exit_code" ('' and 0 for NULL).
template <class Row>
RunSummary read_run(const Row& r) {
  RunSummary run;
  run.run_id = r.integer(0);
  run.started = r.text(1);
  run.finished = r.text(2);
  run.status = r.text(3);
  run.as_at = r.text(4);
  run.exit_code = static_cast<int>(r.integer(5));
  return run;
}
// run_sources: "run_id, source, status, error, read, stored, unchanged, quarantined, removed,
// files_skipped, replaced".
template <class Row>
SourceRun read_run_source(const Row& s) {
  SourceCounts c{s.integer(4), s.integer(5), s.integer(6), s.integer(7), s.integer(8), s.integer(9), s.integer(10)};
  return {s.text(1), s.text(2), s.text(3), c};
}
// The whole run log, newest first, each run with its sources: `runs` and `sources` step
// through the two queries above (sources in run order).
template <class Runs, class Sources>
std::vector<RunSummary> read_runs(Runs& runs, Sources& sources) {
  std::vector<RunSummary> out;
  std::map<std::int64_t, std::size_t> index;
  while (runs.step()) {
    index[runs.integer(0)] = out.size();
    out.push_back(read_run(runs));
  }
  while (sources.step()) {
    auto it = index.find(sources.integer(0));
    if (it != index.end()) out[it->second].sources.push_back(read_run_source(sources));
  }
  return out;
}
// kpi_history: "sink, measure, period_start, period_end, as_at, breakdown, breakdown_value,
// numerator, denominator, value".
template <class Row>
std::pair<std::string, MeasureRow> read_measure(const Row& s) {
  MeasureRow r{s.text(1), s.text(2), s.text(3), s.text(4), s.text(5), s.text(6), s.integer(7), std::nullopt, s.text(9)};
  if (!s.is_null(8)) r.denominator = s.integer(8);
  return {s.text(0), std::move(r)};
}

// The link tables' columns, the first one or two of which are the row's key.
std::vector<std::string> link_columns(const std::string& table);

// The queries for a linked person's own records (explain): per kind (person, advice), the
// records linked to the person_key bound as `param` ("?1", "$1"), in source order.
std::vector<std::pair<RecordKind, std::string>> linked_record_queries(const std::string& param);
// The links from each link table's rows (its link_columns, in that order).
LinkSet link_set(const std::function<std::vector<std::vector<std::string>>(const std::string& table)>& rows);

}  // namespace sendhub::store
