// store/sqlite_link_changes.h: which records changed since the last linking (migration
// 009), noted as sources store and remove them, so the next linking revisits only the
// people those records could touch. Noting is given up, and the next linking links all,
// when a source is loaded for the first time or more changed than is worth noting.
#pragma once

#include <array>
#include <cstdint>
#include <string>

#include "sendhub/records.h"
#include "store/sqlite/sqlite_db.h"

namespace sendhub::sqlite {

// Which of a file's rows a removal deletes: all of them; those whose keys temp.seen lacks (the
// keys seen moved there past their memory); those temp.unseen lists.
enum class Removal { whole_file, not_in_seen, listed_unseen };

class LinkChangeLog {
 public:
  explicit LinkChangeLog(Db& db);

  // At each transaction's start and end: the state is read again at the next change.
  void forget() { known_ = false; }
  // A record stored into the source.
  void note(const Record& record, const std::string& source);
  // Records about to be deleted: the file's rows of the kind, or those of them this read did
  // not keep (sqlite_seen.h).
  void note_removal(RecordKind kind, const std::string& source, const std::string& file, Removal which);
  // The next linking links everything (a first load, or too many changes).
  void give_up();

 private:
  void count_one();
  bool tracked();

  Db& db_;
  bool known_ = false, tracked_ = false;
  std::int64_t noted_ = 0;
  Stmt note_;
  std::array<Stmt, kKinds.size()> unseen_, listed_, of_file_;
};

// The linking that just saved compared every record again: nothing is pending.
void link_changes_cleared(Db& db);
// Links saved some other way (without the keys of migration 009): link everything next.
void link_changes_untracked(Db& db);

}  // namespace sendhub::sqlite
