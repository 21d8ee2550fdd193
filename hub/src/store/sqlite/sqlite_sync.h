// store/sqlite_sync.h: make a table hold exactly the given rows, writing only the rows
// that differ (so re-linking unchanged data changes nothing), and read a table back.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "store/sqlite/sqlite_db.h"

namespace sendhub::sqlite {

using Row = std::vector<std::string>;

// Rows staged one at a time in a temporary table; apply() then makes the table hold exactly
// those rows. The first key_columns columns identify a row. Use inside a transaction.
class Stage {
 public:
  // straight_when_empty: a table still empty takes the rows itself, in the caller's
  // transaction (a first linking): staging every row and copying it wrote each twice, and the
  // copies were a fifth of saving 300,000 people's links. Whether it is empty is asked at the
  // first row, inside that transaction.
  Stage(Db& db, std::string table, std::vector<std::string> columns, std::size_t key_columns,
        bool straight_when_empty = false);
  void put(const Row& row);
  // Where rows go, for a caller that fills it with SQL: the stage, or the table itself.
  const std::string& target() { return straight() ? table_ : stage_; }
  // Returns how many rows of the table changed; the stage is empty again after.
  std::int64_t apply();
  // The same for the table's rows where `in_scope` (an SQL condition on them) holds: rows
  // outside it stand. Each staged row is looked up by its key, so the cost follows the
  // stage, not the table.
  std::int64_t apply_within(const std::string& in_scope);

 private:
  Db& db_;
  std::string same_key(const std::string& a, const std::string& b) const;
  bool straight();

  std::string table_, stage_, cols_;
  std::vector<std::string> columns_;
  std::size_t key_columns_;
  enum class Way { undecided, staged, straight } way_;
  Stmt put_;
};

// The first key_columns columns identify a row. `next` fills the next row and returns
// false when there is none (rows are made one at a time, never all at once). Call inside a
// transaction.
std::int64_t sync_rows(Db& db, const std::string& table, const std::vector<std::string>& columns,
                       std::size_t key_columns, const std::function<bool(Row&)>& next);

// The table's rows, or (where_key) only those whose where_column is that value.
std::vector<Row> read_rows(Db& db, const std::string& table, const std::vector<std::string>& columns,
                           const std::string& where_column = "", const std::string& where_key = "");

}  // namespace sendhub::sqlite
