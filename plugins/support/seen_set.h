// seen_set.h: a set of strings that only grows (the values a uniqueness rule has met). Held in
// memory, packed, up to a budget; past it the set moves to a temp_db.h database. A national
// run's inspection lists meet 1.5 million identifiers (as strings in a std::set about 100 bytes
// each); a council's few hundred thousand fit the budget, where a database insert for each
// value was a twelfth of the inspection sink's night.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "slot_index.h"

namespace plugin_support {

class SeenSet {
 public:
  // As the database's own page cache: moving to it costs no more memory than it would.
  static constexpr std::size_t kMemoryBytes = std::size_t{16} << 20;
  // memory_bytes: what the packed set may hold (0: the database from the start). Throws
  // sendhub::Error (rule io) when the database cannot be made.
  explicit SeenSet(std::size_t memory_bytes = kMemoryBytes);
  ~SeenSet();
  SeenSet(const SeenSet&) = delete;
  SeenSet& operator=(const SeenSet&) = delete;

  // Adds the value; true when it was not there before (compared as bytes).
  bool insert(std::string_view value);
  bool in_file() const { return file_ != nullptr; }   // for the tests

 private:
  class File;
  std::string_view held(std::uint32_t at) const;   // the value packed at an offset
  void move_to_file();

  // Each value as a 4-byte length and its bytes, found again by its hash (slot_index.h: a
  // slot holds its offset + 1).
  std::string packed_;
  SlotIndex index_;
  std::size_t budget_ = 0;
  std::unique_ptr<File> file_;
};

}  // namespace plugin_support
