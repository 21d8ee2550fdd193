// store/sqlite/sqlite_group_copies.h: the dataset's groups kept as bytes between runs (migration
// 014, issue 30). A walk reads a group from the record tables the first time it is walked after
// it changed, keeps a copy of it, and reads the copy every time after: after a night's change the
// 99% of groups that did not change cost one row each instead of eight indexed joins. Linking
// keeps the copies true: a narrowed linking deletes the copy of every group it touches (each
// dataset-index row it deletes or writes, old group and new, each one of its scope it finds as
// it was, and each linked person of its scope), since every changed record is in its scope; any
// other linking deletes them all.
// dataset_state 'group_copies' names the linked version they describe: copies are read only
// while it is the store's, and the links describe the data.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "store/sqlite/sqlite_db.h"
#include "store/store.h"

namespace sendhub::sqlite {

// Held around index_dataset, inside the transaction that saves the links.
class CopyUpkeep {
 public:
  // A narrowed linking over copies that describe the links it replaces: every change the index
  // takes deletes the copies of the groups it touches. Otherwise every copy is deleted.
  CopyUpkeep(Db& db, bool narrowed);
  ~CopyUpkeep();
  CopyUpkeep(const CopyUpkeep&) = delete;
  CopyUpkeep& operator=(const CopyUpkeep&) = delete;
  // After the index and linked persons are written: the copies left describe linked_version.
  void done(std::int64_t linked_version);

 private:
  void disarm() noexcept;
  Db& db_;
  bool armed_ = false;
};

// Every group in each_group's order for order_year: from its copy where it has one, else from
// the record tables, keeping its copy (one write transaction) when `keep` (the caller holds
// the run lock: nothing else writes the store). Without `keep` nothing is written: the copies
// are read when every group has one, else the record tables. From the record tables alone
// while the links do not describe the data.
void each_group(Db& db, int order_year, bool keep, const std::function<void(StoredGroup&)>& visit);
// Whether each_group with `keep` will read every group from the record tables ahead (keep_all):
// the links describe the data and no copy describes them.
bool reads_ahead(Db& db);

// The linked version, when the links describe the data (else nothing: walks read the tables).
std::optional<std::int64_t> links_current(Db& db);
// Whether the copies (and the sinks' parts, sqlite_parts.h) describe linked_version.
bool copies_describe(Db& db, std::int64_t linked_version);
// Deletes every copy and every sink's part: a linking that compared everything, damaged copies.
void drop_copies(Db& db);
// Deletes the copies and parts of the groups a subquery names (`SELECT grp FROM ...`): those of
// the index rows a narrowed linking found as they were, so did not write (no trigger saw them),
// while their records may have changed.
void drop_copies_of(Db& db, const std::string& groups);

// How many groups have a copy (for tests and the run log).
std::int64_t group_copies(Db& db);

}  // namespace sendhub::sqlite
