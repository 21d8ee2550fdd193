// store/sqlite_link_scope.h: what a linking of only the changes revisits (issue 11), in
// temporary tables of the store's connection: the person records, requests and advice
// records whose links are made again, the request references whose records are indexed
// again, and the person_keys whose resolved values and conflicts are replaced.
//
// Starting from the records changed since the last linking (migration 009), the scope
// grows until nothing more is reached: through keys shared in person_match (the last
// linking's keys and the changed records' new ones), the people that requests name and
// were linked to, requests sharing a reference, the advice that names a request or an NHS
// number, and every earlier link of what is in scope. Each person record in it is then
// linked with every record it could have been compared with, as a linking of everything
// would, and no record outside it could have been.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "sendhub/records.h"
#include "store/link_scratch.h"
#include "store/sqlite/sqlite_db.h"

namespace sendhub::sqlite {

// person_match slots beyond the rules' keys (slots 0..n-1): see 009_link_changes.sql.
constexpr int kBestSlot = -1, kNhsSlot = -2;

class LinkScope {
 public:
  explicit LinkScope(Db& db);

  bool knows_changes();
  // The person records, then the advice records, changed and still present.
  void each_changed(const std::function<void(const Record&)>& visit);
  void add_changed_person(const LinkNode& node);
  void add_changed_advice(const Record& advice, const std::string& nhs_number);
  // Every advice record linked: what the next linking finds it by.
  void add_advice_keys(const Record& advice, const std::string& nhs_number);
  // Grows the scope from the changes (see above); -1 when it would be most of the people.
  std::int64_t narrow();
  bool narrowed() const { return narrowed_; }

  // The FROM clause that reads a kind's table (alias `alias`) within the scope: the whole
  // table until narrowed.
  std::string from(RecordKind kind, const std::string& alias) const;
  // A condition on a link table's rows that holds for those in scope.
  std::string within(const std::string& link_table) const;

  // At save, before the dataset index: keeps the keys this linking compared on (the whole
  // table, or the scope's rows) for the next linking.
  void keep_keys(std::size_t rules);
  // For the dataset index (index_dataset): the (source, request_ref) pairs of a kind that
  // hangs from a request, as a subquery; and the scope's index rows as they are, into a table
  // of dataset_member's columns.
  std::string child_refs(const std::string& table, const std::string& ref_column);
  void old_members(const std::string& into);

 private:
  std::int64_t grow();
  void keep_scope_keys(const std::string& keys);
  std::int64_t count(const std::string& table);

  Db& db_;
  bool narrowed_ = false;
  Stmt probe_person_, probe_advice_, advice_key_;
  std::vector<Stmt> grow_;   // kGrow and one per request source, prepared once for every round
  std::int64_t round_ = 0;   // the last round of grow(); the seeds are round 0
};

// The sources holding rows of a table, found through its (source, ...) key without a scan.
std::vector<std::string> sources_of(Db& db, const std::string& table, const std::string& where = "");

}  // namespace sendhub::sqlite
