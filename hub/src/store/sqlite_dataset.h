// store/sqlite_dataset.h: the dataset read in groups, in bounded memory. Linking leaves a
// membership index (migration 007: which group and case each record's reference belongs
// to); the readers below walk it with one indexed join per record kind, all cursors in the
// same group order, and hand over one group at a time (a merge join, as a database would).
#pragma once

#include <functional>
#include <map>
#include <string>

#include "store/sqlite_db.h"
#include "store/store.h"

namespace sendhub::sqlite {

// The column of a kind's table that holds the reference linking joins it on: its key (rkey)
// when the kind is keyed by that reference alone, else request_ref.
const char* ref_column(RecordKind kind);
// Whether records of the kind hang from a request (assessment, plan, placement, need...).
bool hangs_from_request(RecordKind kind);

// The record columns a statement selects from table alias `a`, in the order read_record
// reads them back: the fields, then file, line, path, return_year, source, run_id, extras.
std::string record_columns(RecordKind kind, const std::string& a);
Record read_record(const Stmt& st, RecordKind kind, int first_column);

class LinkScope;
// Rebuilds dataset_member from the links (call inside the transaction that saved them):
// the whole index, or the rows of what a narrowed linking linked again.
void index_dataset(Db& db, const std::map<std::string, std::string>& request_sources, LinkScope* scope = nullptr);

void each_group(Db& db, int order_year, const std::function<void(StoredGroup&)>& visit);
// The statement each_group steps for one kind (for the test that keeps it free of sorts).
std::string group_cursor_sql(RecordKind kind);

// The records of one return year, one person at a time (the person, then each of its
// requests' records), persons by source and person_ref.
void each_return_person(Db& db, int year, const std::function<void(std::vector<Record>&)>& visit);

}  // namespace sendhub::sqlite
