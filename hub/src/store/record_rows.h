// store/record_rows.h: how a record kind's table is read back, the same for every store:
// which columns a statement selects, in which order, and how a row of them becomes a Record.
// Dialect-free (plain column names), so SQLite and PostgreSQL share it.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "sendhub/records.h"
#include "store/extras_codec.h"
#include "store/link_types.h"

namespace sendhub::store {

// The column of a kind's table that holds the reference linking joins it on: its key (rkey)
// when the kind is keyed by that reference alone, else request_ref.
const char* ref_column(RecordKind kind);
// Whether records of the kind hang from a request (assessment, plan, placement, need...).
bool hangs_from_request(RecordKind kind);

// The record columns a statement selects from table alias `a`, in the order read_record
// reads them back: the fields, then file, line, path, return_year, source, run_id, extras.
std::string record_columns(RecordKind kind, const std::string& a);

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

// The link tables' columns, the first one or two of which are the row's key.
std::vector<std::string> link_columns(const std::string& table);
// The links from each link table's rows (its link_columns, in that order).
LinkSet link_set(const std::function<std::vector<std::vector<std::string>>(const std::string& table)>& rows);

}  // namespace sendhub::store
