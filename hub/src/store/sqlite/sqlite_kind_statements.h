// store/sqlite/sqlite_kind_statements.h: the statements the file store keeps prepared for each
// record kind's table: a record's stored hash and its upsert, the read of a kind, and the
// removal of the rows a file no longer gives (through the keys seen in temp.seen, or those not
// seen listed in temp.unseen: sqlite_seen.h).
#pragma once

#include <string>

#include "sendhub/records.h"
#include "store/sqlite/sqlite_db.h"

namespace sendhub::sqlite {

struct KindStatements {
  Stmt select_hash, upsert, remove_unseen;
  std::string read_sql;
  Stmt unseen_years, any_of_source;
  // The same removal with the keys seen in memory: the file's stored keys, and the statements
  // reading those not seen from temp.unseen.
  Stmt stored_keys, remove_listed, listed_years;
};

// Prepared on db, whose temp tables seen and unseen exist (SeenKeys made first).
KindStatements prepare_kind(Db& db, const KindSpec& k);

}  // namespace sendhub::sqlite
