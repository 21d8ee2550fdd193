// store/pg_dataset.h: the pool's dataset read and its links kept, as sqlite_dataset.h,
// sqlite_links.h, sqlite_issues.h and sqlite_measures.h do for SQLite, in PostgreSQL's SQL.
// Every statement sees one council's rows only (row-level security).
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "store/pg/pg_db.h"
#include "store/store.h"

namespace sendhub::pg {

void each_group(Db& db, int order_year, const std::function<void(StoredGroup&)>& visit);
void each_group_key(Db& db, int order_year, const std::function<void(const std::string&)>& visit);
void each_return_person(Db& db, int year, const std::function<void(std::vector<Record>&)>& visit);
// Rebuilds dataset_member from the links (inside the transaction that saved them).
void index_dataset(Db& db, const std::map<std::string, std::string>& request_sources);

// Makes the table hold exactly the rows of `stage` (a temporary table with the same
// columns), writing only rows that differ; returns how many rows changed.
std::int64_t apply_stage(Db& db, const std::string& table, const std::string& stage, std::size_t key_columns);
// After the links changed: the index rebuilt and the links marked as describing data_version.
void finish_links(Db& db, std::int64_t changed, std::int64_t data_version,
                  const std::map<std::string, std::string>& request_sources);
std::int64_t save_links(Db& db, const LinkSet& links, std::int64_t data_version,
                        const std::map<std::string, std::string>& request_sources);
LinkSet read_links(Db& db, const std::string& person_key = "");
std::vector<Record> linked_records_of(Db& db, const std::string& person_key);
std::map<std::string, Store::UnlinkedRequests> unlinked_requests(Db& db);
std::unique_ptr<LinkScratch> open_link_scratch(Db& db, const std::map<std::string, std::string>& person_sources);

void save_issues(Db& db, std::int64_t run, int year, const std::vector<Store::IssueRow>& issues, bool replace);
std::pair<std::int64_t, std::int64_t> copy_issues(Db& db, std::int64_t from_run, std::int64_t run, int year);
void keep_measures(Db& db, const std::string& sink, std::int64_t run, const std::vector<MeasureRow>& rows);
std::vector<std::pair<std::string, MeasureRow>> measure_history(Db& db, const std::string& sink);

// Runs body in one transaction: committed when it returns, rolled back when it throws.
template <class Body>
void in_transaction(Db& db, Body&& body) {
  db.exec("BEGIN");
  try {
    body();
    db.exec("COMMIT");
  } catch (...) {
    db.rollback_quietly();
    throw;
  }
}

}  // namespace sendhub::pg
