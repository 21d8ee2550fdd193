// seen_map.h: the keys met so far, each with a value of a fixed width (none, for a set), that
// only grows. Held in memory, packed, up to a budget; past it the keys move to a temp_db.h
// database. A national run's inspection lists meet 1.5 million identifiers (as strings in a
// std::set about 100 bytes each) and a national FHIR feed 1.4 million Tasks, each with the
// copy read last; a council's few hundred thousand fit the budget, where a database insert
// for each key was a twelfth of the inspection sink's night.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "slot_index.h"

namespace plugin_support {

class SeenMap {
 public:
  // As the database's own page cache: moving to it costs no more memory than it would.
  static constexpr std::size_t kMemoryBytes = std::size_t{16} << 20;
  // memory_bytes: what the packed keys and values may hold (0: the database from the start);
  // value_size: the bytes of every value. Throws sendhub::Error (rule io) when the database
  // cannot be made.
  explicit SeenMap(std::size_t memory_bytes = kMemoryBytes, std::size_t value_size = 0);
  ~SeenMap();
  SeenMap(const SeenMap&) = delete;
  SeenMap& operator=(const SeenMap&) = delete;

  // Adds the key (compared as bytes) with its value; true when it was not there before. A key
  // already there keeps its value. Throws std::invalid_argument for a value of another width.
  bool insert(std::string_view key, std::string_view value = {});
  // The value of a key that is there (a copy: the next insert may move what it was read from).
  std::string value(std::string_view key) const;
  // Gives a key that is there a new value.
  void assign(std::string_view key, std::string_view value);
  bool in_file() const { return file_ != nullptr; }   // moved past its budget (or 0)

 private:
  class File;
  std::string_view key_at(std::uint32_t at) const;   // the key packed at an offset
  char* value_at(std::uint32_t at);                  // and its value, after it
  std::int64_t find(std::string_view key) const;     // the offset where the key is packed, or -1
  void check_width(std::string_view value) const;
  void move_to_file();

  // Each key as a 4-byte length, its bytes and its value, found again by its hash
  // (slot_index.h: a slot holds its offset + 1).
  std::string packed_;
  SlotIndex index_;
  std::size_t budget_ = 0;
  std::size_t value_size_ = 0;
  std::unique_ptr<File> file_;
};

}  // namespace plugin_support
