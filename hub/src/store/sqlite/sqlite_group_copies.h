// store/sqlite/sqlite_group_copies.h: the dataset's groups kept as bytes between runs (migration
// 014, issue 30). A walk reads a group from the record tables the first time it is walked after
// it changed, keeps its copy (made by the caller: the group merged and encoded as its sinks see
// it), and reads the copy every time after: after a night's change the 99% of groups that did
// not change cost one row each instead of eight indexed joins, a merge and an encoding. Linking
// keeps the copies true: a narrowed linking deletes the copy of every group it touches (each
// dataset-index row it deletes or writes, old group and new, each one of its scope it finds as
// it was, and each linked person of its scope), since every changed record is in its scope; any
// other linking deletes them all.
// dataset_state 'group_copies' names the linked version they describe, 'group_copies_mark' the
// way they were made (store.h, CopyMaker: since 0.12.20 a copy is the group as its sinks see
// it, merged and encoded by the caller): copies are read only while both stand, and the links
// describe the data.
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

// Every group in each_group's order for order_year, from the record tables.
void each_group(Db& db, int order_year, const std::function<void(StoredGroup&)>& visit);
// The same groups as their copies (store.h, CopyMaker): from the copy kept under maker.mark where
// a group has one, else made from the record tables, and kept (one write transaction) when
// `keep` (the caller holds the run lock: nothing else writes the store). Without `keep` nothing
// is written: the kept copies are read when every group has one, else every copy is made. All
// made from the record tables while the links do not describe the data. A copy found damaged
// (Error store.copy) gives every copy up (give_up_copies) before the error goes on.
void each_copy(Db& db, int order_year, bool keep, const CopyMaker& maker, const CopyVisit& visit);
// Whether each_copy with `keep` will read every group from the record tables ahead (keep_all):
// the links describe the data and no copy under `mark` describes them.
bool reads_ahead(Db& db, const std::string& mark);
// Deletes every copy and part, and says no copy describes the links (a copy proved damaged).
void give_up_copies(Db& db);

// The linked version, when the links describe the data (else nothing: walks read the tables).
std::optional<std::int64_t> links_current(Db& db);
// Whether the copies (and the sinks' parts, sqlite_parts.h) describe linked_version; and were
// made under `mark` (store.h, CopyMaker).
bool copies_describe(Db& db, std::int64_t linked_version);
bool copies_describe(Db& db, std::int64_t linked_version, const std::string& mark);
// The copies describe linked_version under `mark`, or are all deleted with the sinks' parts
// (derived from copies made another way) and will be.
void settle_copies(Db& db, std::int64_t linked_version, const std::string& mark);
// Deletes every copy and every sink's part, and the kept order (sqlite_group_order.h): a
// linking that compared everything, damaged copies, copies made another way.
void drop_copies(Db& db);
// Deletes the copies and parts of the groups a subquery names (`SELECT grp FROM ...`): those of
// the index rows a narrowed linking found as they were, so did not write (no trigger saw them),
// while their records may have changed; and the linked persons a narrowed linking resolved
// again. Their places in the kept order are worked out again (touch_groups).
void drop_copies_of(Db& db, const std::string& groups);

// How many groups have a copy (for tests and the run log).
std::int64_t group_copies(Db& db);

}  // namespace sendhub::sqlite
