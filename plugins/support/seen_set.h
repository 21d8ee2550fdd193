// seen_set.h: a set of strings that only grows (the values a uniqueness rule has met), kept
// out of memory: a private temporary SQLite database (on disk past a small cache, created
// 0600, deleted when closed), as sorted_spill.h keeps rows. A national run's inspection lists
// meet 1.5 million identifiers; as strings in a std::set they cost about 100 bytes each.
// Compiled into the connectors that need it (only SQLite's C API).
#pragma once

#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace plugin_support {

class SeenSet {
 public:
  SeenSet();   // throws sendhub::Error (rule io) when the temporary database cannot be made
  ~SeenSet();
  SeenSet(const SeenSet&) = delete;
  SeenSet& operator=(const SeenSet&) = delete;

  // Adds the value; true when it was not there before.
  bool insert(std::string_view value);

 private:
  [[noreturn]] void fail(const char* what) const;
  sqlite3* db_ = nullptr;
  sqlite3_stmt* insert_ = nullptr;
};

}  // namespace plugin_support
