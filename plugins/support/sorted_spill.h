// sorted_spill.h: rows a sink can only write in an order it learns at the end (a case list
// by urgency, a readiness report by rule). Held in memory, packed, up to a budget, and sorted
// there; past it every row moves to a temp_db.h database and comes back sorted by SQLite's
// external merge sort, so a list of any length costs a small page cache, not a vector of every
// row. A council's lists fit the budget: written into the database from the first row, its
// case tracker's two lists were a quarter of the KPI sink.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace plugin_support {

class SortedSpill {
 public:
  // As the database's own page cache: moving to it costs no more memory than it would.
  static constexpr std::size_t kMemoryBytes = std::size_t{4} << 20;
  // memory_bytes: what the packed rows may hold (0: the database from the first row). Throws
  // sendhub::Error (rule io) when the database cannot be made: here with a budget of 0, else
  // from the add() that passes the budget.
  explicit SortedSpill(std::size_t memory_bytes = kMemoryBytes);
  ~SortedSpill();
  SortedSpill(const SortedSpill&) = delete;
  SortedSpill& operator=(const SortedSpill&) = delete;

  void add(std::string_view key, std::string_view row);
  // Every row by key (byte order), rows of the same key in the order they were added.
  void each(const std::function<void(std::string_view key, std::string_view row)>& visit) const;
  std::int64_t size() const { return size_; }
  bool in_file() const { return file_ != nullptr; }   // for the tests

 private:
  class File;
  struct Held {   // where a row's key and row are packed
    std::size_t at;
    std::uint32_t key, row;   // their lengths
  };
  std::string_view key_of(const Held& h) const { return {packed_.data() + h.at, h.key}; }
  std::string_view row_of(const Held& h) const { return {packed_.data() + h.at + h.key, h.row}; }
  void move_to_file();

  std::string packed_;
  std::vector<Held> held_;
  std::size_t budget_ = 0;
  std::unique_ptr<File> file_;
  std::int64_t size_ = 0;
};

}  // namespace plugin_support
