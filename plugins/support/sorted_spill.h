// sorted_spill.h: rows a sink can only write in an order it learns at the end (a case list
// by urgency, a readiness report by rule), kept out of memory. They go to a private
// temporary SQLite database (on disk, created 0600 under sendhub's umask, deleted when
// closed) and come back sorted by SQLite's external merge sort, so a list of any length
// costs a small page cache, not a vector of every row. Compiled into the connectors that
// need it (plugins/support/ holds no host and no plugin code: only SQLite's C API).
#pragma once

#include <cstdint>
#include <functional>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace plugin_support {

class SortedSpill {
 public:
  SortedSpill();   // throws sendhub::Error (rule io) when the temporary database cannot be made
  ~SortedSpill();
  SortedSpill(const SortedSpill&) = delete;
  SortedSpill& operator=(const SortedSpill&) = delete;

  void add(std::string_view key, std::string_view row);
  // Every row by key (byte order), rows of the same key in the order they were added.
  void each(const std::function<void(std::string_view key, std::string_view row)>& visit) const;
  std::int64_t size() const { return size_; }

 private:
  [[noreturn]] void fail(const char* what) const;
  sqlite3* db_ = nullptr;
  sqlite3_stmt* insert_ = nullptr;
  std::int64_t size_ = 0;
};

}  // namespace plugin_support
