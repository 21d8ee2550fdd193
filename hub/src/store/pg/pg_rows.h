// store/pg_rows.h: reading and writing many rows over one libpq connection without holding
// them all: a Cursor reads a query's rows a batch at a time through a server-side cursor
// (so other statements may run between its rows, as SQLite's statements allow), and an
// Appender sends rows to a table with COPY, a batch at a time.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/pg/pg_db.h"

namespace sendhub::pg {

// Empty text is NULL, as the SQLite store binds it.
inline Param text_or_null(const std::string& s) { return s.empty() ? Param{} : Param{s}; }

class Cursor {
 public:
  Cursor(Db& db, const std::string& sql, const std::vector<Param>& params = {});
  ~Cursor();
  Cursor(const Cursor&) = delete;
  Cursor& operator=(const Cursor&) = delete;

  bool step();                           // true while a row is there
  std::string text(int col) const;       // NULL reads as ""
  std::int64_t integer(int col) const;   // NULL reads as 0
  bool is_null(int col) const;

 private:
  Db& db_;
  std::string name_;
  std::optional<Result> batch_;
  int row_ = 0;
  bool done_ = false;
};

class Appender {
 public:
  // copy_sql: "COPY table (columns) FROM STDIN".
  Appender(Db& db, std::string copy_sql);
  void add(std::vector<Param> row);
  // Sends what is queued; returns how many rows that was.
  std::size_t flush();
  std::size_t queued() const { return rows_.size(); }

 private:
  Db* db_;
  std::string copy_sql_;
  std::vector<std::vector<Param>> rows_;
};

// The first row's first column of a query ("" when no row or NULL).
std::string value(Db& db, const std::string& sql, const std::vector<Param>& params = {});
std::int64_t number(Db& db, const std::string& sql, const std::vector<Param>& params = {});

// The council of the connection's role, found once for a whole statement: a pool table's
// default (sendhub_council()) is a look-up per row, four-fifths of a plain INSERT's time.
// What an INSERT into a pool table selects for its council column.
inline constexpr const char* kCouncilOnce = "(SELECT sendhub_council())";

// A temporary table shaped like a pool table (after any columns of its own, "ord BIGSERIAL, "),
// for rows on their way into it, with its council column left empty: the INSERT into the pool
// table gives kCouncilOnce.
void create_stage(Db& db, const std::string& stage, const std::string& pool_table, const std::string& own_columns = "");

// Fresh planner statistics (sendhub_analyze) for those of these pool tables whose statistics a
// change of changed_rows rows may have made misleading: as autovacuum's default rule, when it
// is a tenth of the rows they had, or they never had any. A reload changing 1% analyses
// nothing (it was a twentieth of such a run); a council's first load analyses all.
void analyze(Db& db, const std::vector<std::string>& tables, std::int64_t changed_rows);

// The newest migration the pool has (schema_migrations; 0 before the first).
int schema_version(Db& db);
// A pool that cannot be used as it is: sendhub::Error on store.conninfo saying what to do.
[[noreturn]] void refuse(const std::string& message);

}  // namespace sendhub::pg
