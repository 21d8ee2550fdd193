// rules/key_hashes.h: a set of 64-bit key hashes, open addressing with linear probing.
// A uniqueness rule adds one hash per Person; std::unordered_set spent a node allocation
// and a cache miss on each, a tenth of validation's time at 100,000 Persons. Eight bytes
// a key, at most half the slots in use.
#pragma once

#include <cstdint>
#include <vector>

namespace sendhub {

class KeyHashes {
 public:
  // False when the hash was there already. (A hash of 0 is kept as 1: 0 marks a free slot.)
  bool insert(std::uint64_t h) {
    if (h == 0) h = 1;
    if ((size_ + 1) * 2 > slots_.size()) grow();
    for (std::size_t i = slot(h);; i = (i + 1) & (slots_.size() - 1)) {
      if (slots_[i] == h) return false;
      if (slots_[i] == 0) {
        slots_[i] = h;
        ++size_;
        return true;
      }
    }
  }
  std::size_t size() const { return size_; }

 private:
  // The hashes are FNV-1a already; the high bits mix in so that a small table spreads too.
  std::size_t slot(std::uint64_t h) const { return static_cast<std::size_t>(h ^ (h >> 32)) & (slots_.size() - 1); }
  void grow() {
    std::vector<std::uint64_t> old = std::move(slots_);
    slots_.assign(old.empty() ? 1024 : old.size() * 2, 0);
    size_ = 0;
    for (const std::uint64_t h : old)
      if (h != 0) insert(h);
  }

  std::vector<std::uint64_t> slots_;
  std::size_t size_ = 0;
};

}  // namespace sendhub
