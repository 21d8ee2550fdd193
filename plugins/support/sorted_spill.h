// sorted_spill.h: rows a sink can only write in an order it learns at the end (a case list
// by urgency, a readiness report by rule), kept out of memory in a temp_db.h database and
// given back sorted by SQLite's external merge sort, so a list of any length costs a small
// page cache, not a vector of every row.
#pragma once

#include <cstdint>
#include <functional>
#include <string_view>

#include "temp_db.h"

namespace plugin_support {

class SortedSpill {
 public:
  SortedSpill();   // throws sendhub::Error (rule io) when the temporary database cannot be made

  void add(std::string_view key, std::string_view row);
  // Every row by key (byte order), rows of the same key in the order they were added.
  void each(const std::function<void(std::string_view key, std::string_view row)>& visit) const;
  std::int64_t size() const { return size_; }

 private:
  TempDb db_;
  TempDb::Stmt insert_;
  std::int64_t size_ = 0;
};

}  // namespace plugin_support
