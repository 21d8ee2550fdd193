// store/sqlite_db.h: a thin RAII layer over the SQLite C API: one connection, prepared
// statements that are reset and rebound for every row (the store's hot path).
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace sendhub::sqlite {

class Db;

class Stmt {
 public:
  Stmt() = default;
  Stmt(Db& db, std::string_view sql);
  ~Stmt();
  Stmt(Stmt&& other) noexcept;
  Stmt& operator=(Stmt&& other) noexcept;
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;

  bool prepared() const { return stmt_ != nullptr; }
  Stmt& reset();                                   // clears bindings too
  Stmt& bind(int i, std::string_view text);        // empty text binds NULL
  Stmt& bind_text(int i, std::string_view text);   // empty text binds ''
  // As bind(), without SQLite's copy: the text must stay unchanged until the statement is
  // reset (a record's values while it is written: the copies were a sixth of a load's writing).
  Stmt& bind_static(int i, std::string_view text);
  Stmt& bind(int i, std::int64_t value);
  Stmt& bind_blob(int i, std::string_view bytes);
  bool step();                                     // true while a row is there
  void run();                                      // step to completion
  std::string text(int col) const;                 // NULL reads as ""
  std::string blob(int col) const;                 // NULL reads as ""
  std::string_view blob_view(int col) const;       // the same, valid until the next step or reset
  std::int64_t integer(int col) const;
  bool is_null(int col) const;

 private:
  Db* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
};

class Db {
 public:
  explicit Db(const std::string& path);
  ~Db();
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  void exec(const std::string& sql);
  // ROLLBACK if a transaction is open; never throws (see SqliteStore::rollback).
  void rollback_quietly() noexcept;
  std::int64_t changes() const;
  sqlite3* handle() { return db_; }
  const std::string& path() const { return path_; }
  [[noreturn]] void fail(const std::string& what) const;

 private:
  sqlite3* db_ = nullptr;
  std::string path_;
};

// `s` as an SQL string literal, for a statement built once (a source's name in a clause).
std::string quoted(const std::string& s);
// Whether the table has no rows (a first load can skip comparing with what is there).
bool is_empty(Db& db, const std::string& table);
// How many rows the table (or `FROM` clause) holds.
std::int64_t count_rows(Db& db, const std::string& table);
// The main database's size in bytes (its pages; the WAL not counted).
std::int64_t store_bytes(Db& db);
// The page cache for a store of that size, in KiB: about 1% of it, between 8 and 64 MiB. At
// 16 KiB pages that is about what the B-trees' inner pages take, so a random look-up reads one
// page, its leaf, from the OS's cache. Every page a cache holds is memory touched for the first
// time, and a page fault costs more than reading a page again from the OS: a fixed 64 MiB cost
// a council's run a tenth of its time in faults for pages it hardly read again; a fixed 8 MiB
// made a national night's return take half as long again (BENCHMARKS.md, session 40).
std::int64_t page_cache_kib(std::int64_t store_bytes);

// Secondary indexes taken off empty tables while they are filled, and built again from their
// stored definitions before the transaction commits. SQLite builds an index by sorting its
// keys, far faster than inserting the same keys one by one in random order once the index
// outgrows the page cache (the dataset index's group index at 100,000 children: 11 s of random
// inserts). Use inside a transaction: a rollback brings the indexes back with it (forget()).
class DeferredIndexes {
 public:
  // Drops the table's secondary indexes if it has no rows (and they are not dropped already).
  void defer_if_empty(Db& db, const std::string& table);
  // Builds every dropped index again; call before COMMIT.
  void build(Db& db);
  // After a rollback, which restored them.
  void forget() noexcept {
    indexes_.clear();
    tables_.clear();
  }

 private:
  std::vector<std::pair<std::string, std::string>> indexes_;   // name, CREATE INDEX statement
  std::vector<std::string> tables_;
};

// Fills an empty table with its secondary indexes deferred (above).
void bulk_load(Db& db, const std::string& table, const std::function<void()>& insert);

// A read transaction (one snapshot for a walk's cursors), ended when it goes out of scope,
// also when the walk's visitor throws.
class ReadTransaction {
 public:
  explicit ReadTransaction(Db& db) : db_(db) { db_.exec("BEGIN"); }
  ~ReadTransaction() { db_.rollback_quietly(); }
  ReadTransaction(const ReadTransaction&) = delete;
  ReadTransaction& operator=(const ReadTransaction&) = delete;

 private:
  Db& db_;
};

// Runs body in one write transaction: committed when it returns, rolled back (quietly, so
// the first error is the one reported) when it throws.
template <class Body>
auto in_transaction(Db& db, Body&& body) {
  db.exec("BEGIN IMMEDIATE");
  try {
    if constexpr (std::is_void_v<decltype(body())>) {
      body();
      db.exec("COMMIT");
    } else {
      auto result = body();
      db.exec("COMMIT");
      return result;
    }
  } catch (...) {
    db.rollback_quietly();
    throw;
  }
}

}  // namespace sendhub::sqlite
