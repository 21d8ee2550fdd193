// slot_index.h: rows kept elsewhere (a vector, a deque, packed bytes), found again by a hash of
// what they hold: open addressing over a power of two of slots, at most half full. A slot holds
// a row's number + 1 (0: empty) and 32 bits of its hash, so a look-up compares a row (the
// caller's `same`) only where those bits agree, and growing hashes nothing again. One index for
// the KPI sheet's rows, the alerts book's first of each alert and the packed set of values seen:
// where a std::unordered_set allocated a node per row (204,555 alerts on a night at 100,000
// children: a tenth of the alerts sink, inserting and freeing them).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace plugin_support {

class SlotIndex {
 public:
  // The row whose hash is `hash` and for which same(row) holds, or -1.
  template <class Same>
  std::int64_t find(std::uint64_t hash, const Same& same) const {
    if (slots_.empty()) return -1;
    const std::uint32_t bits = fold(hash);
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = bits & mask;; i = (i + 1) & mask) {
      const Slot& s = slots_[i];
      if (s.row_plus_1 == 0) return -1;
      if (s.bits == bits && same(s.row_plus_1 - 1)) return s.row_plus_1 - 1;
    }
  }
  // Adds `row` under `hash` (the caller found no equal row there).
  void add(std::uint64_t hash, std::uint32_t row) {
    if (2 * (count_ + 1) > slots_.size()) grow();
    place(Slot{row + 1, fold(hash)});
    ++count_;
  }
  // The equal row's number where there is one; else `row`, added.
  template <class Same>
  std::uint32_t find_or_add(std::uint64_t hash, std::uint32_t row, const Same& same) {
    const std::int64_t found = find(hash, same);
    if (found >= 0) return static_cast<std::uint32_t>(found);
    add(hash, row);
    return row;
  }
  std::size_t size() const { return count_; }
  std::size_t bytes() const { return slots_.capacity() * sizeof(Slot); }
  // Empty, its memory given back.
  void clear() {
    std::vector<Slot>().swap(slots_);
    count_ = 0;
  }

 private:
  struct Slot {
    std::uint32_t row_plus_1 = 0;
    std::uint32_t bits = 0;
  };
  static std::uint32_t fold(std::uint64_t hash) { return static_cast<std::uint32_t>(hash ^ (hash >> 32)); }
  void place(Slot s) {
    const std::size_t mask = slots_.size() - 1;
    std::size_t i = s.bits & mask;
    while (slots_[i].row_plus_1 != 0) i = (i + 1) & mask;
    slots_[i] = s;
  }
  // Twice the slots (64 at first), each row placed again by its kept bits.
  void grow() {
    std::vector<Slot> old(slots_.empty() ? 64 : slots_.size() * 2);
    old.swap(slots_);
    for (const Slot& s : old)
      if (s.row_plus_1 != 0) place(s);
  }

  std::vector<Slot> slots_;
  std::size_t count_ = 0;
};

}  // namespace plugin_support
