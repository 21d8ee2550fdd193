// store/pg_load.h: how records reach the pool's tables. write() queues a record; a kind's
// queue goes to the server in one COPY into a temporary table, then one statement merges
// it: new keys are inserted, changed rows updated, and a row whose hash is the same is not
// touched (an unchanged reload rewrites nothing). The keys a file gave (keep) are noted in a
// private local SQLite file, not in memory, so a file of any size is read in bounded memory.
#pragma once

#include <array>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "sendhub/records.h"
#include "store/pg/pg_db.h"
#include "store/sqlite/sqlite_db.h"
#include "store/store.h"

namespace sendhub::pg {

class RecordLoader {
 public:
  explicit RecordLoader(Db& db);
  void write(const Record& r, const std::string& source, std::int64_t run);
  // Sends every queue; the counts since the last settle; each return year touched is added.
  Store::Written settle(std::set<int>& years);
  void flush(std::set<int>& years);
  // Whether the file had not given the record's key yet (noted between begin_file and
  // end_file; always true outside them).
  bool keep(const Record& r);
  std::string kept_by(const Record& r);
  void begin_file();
  // Removes the source's records from the file that it did not give again; returns how many.
  std::int64_t end_file(const std::string& source, const std::vector<std::string>& files, std::set<int>& years);
  // Drops everything queued and noted (the transaction was rolled back).
  void forget() noexcept;

 private:
  struct Queue {
    std::vector<std::vector<Param>> rows;
    std::set<std::string> keys;   // of the rows queued: a key queued twice is sent apart
  };
  void flush(std::size_t kind, std::set<int>& years);

  Db& db_;
  std::array<Queue, kKinds.size()> queues_;
  std::array<std::string, kKinds.size()> merge_sql_, copy_sql_;
  sqlite::Db seen_;   // a private temporary file, deleted when closed
  sqlite::Stmt note_seen_, kept_by_;
  bool tracking_ = false;
  Store::Written written_;
  std::set<int> pending_years_;   // of rows sent before settle() or end_file()
};

}  // namespace sendhub::pg
