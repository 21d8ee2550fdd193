// store/sqlite/sqlite_seen.h: the keys a file (or files read as one) has given so far, so a
// second row with the same key is caught (Store::keep, Store::kept_by).
//
// The keys are held in memory, on a first load and on a re-read alike, and the stored keys a
// re-read did not see are listed in the temp table `unseen` for the removal of rows a file no
// longer holds (list_unseen): a B-tree insert per record into the temp table `seen` was a sixth
// of the SQLite time of a council's SEN2 load and of a night's re-read of an export (issue 30).
// In memory each key's bytes are written once into an arena and found through an
// open-addressing table of offsets: about 30 bytes a short key, where a hash map
// of strings took about 115 and spilled a national file of a million rows at a quarter of
// it (a fifth of the CSV stage). Past kMemoryBytes they move to the table and the rest
// follow them there, so memory stays bounded.
#pragma once

#include <atomic>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "io/pages.h"
#include "store/sqlite/sqlite_db.h"

namespace sendhub::sqlite {

class SeenKeys {
 public:
  // 32 MB at most, as the hash map it replaced held: about a million short keys (a national
  // CSV export of people) or 600,000 of 36-character UUIDs.
  static constexpr std::size_t kMemoryBytes = std::size_t{32} << 20;

  // What a store's keys may hold in memory: kMemoryBytes; a test lowers it to take the path of
  // a national file's keys, which pass it (the table read by the removal).
  static inline std::atomic<std::size_t> store_memory_bytes{kMemoryBytes};

  explicit SeenKeys(Db& db, std::size_t memory_bytes = kMemoryBytes);
  // Forgets every key; those to come are held in memory until kMemoryBytes, then in temp.seen.
  void restart();
  // True when (kind, key) is new, noting the file that gave it.
  bool note(int kind, const std::string& key, const std::string& file);
  // The file that gave (kind, key) first, or "".
  std::string file_of(int kind, const std::string& key);
  // With the keys in memory: the keys `stored` steps through (column 0) that were not seen
  // for `kind`, into temp.unseen (emptied first), which a removal reads instead of temp.seen;
  // how many. A night's re-read of a whole export sees nearly every stored key: one scan of
  // them and a look-up in memory each, where each key read was a B-tree insert into temp.seen
  // and each removal statement scanned the source's rows against it.
  std::int64_t list_unseen(int kind, Stmt& stored);
  // Forgets every key, in memory and in the table (never throws: used on rollback).
  void clear() noexcept;
  bool in_memory() const { return in_memory_; }
  // What the keys in memory take: the arena's blocks and the table.
  std::size_t memory_bytes() const { return blocks_.size() * kBlock + slots_.size(); }

 private:
  // The arena: blocks of kBlock bytes, an entry never across two, so what it holds is what it
  // takes (a doubling vector held up to twice). An entry: the file's index (2 bytes), the
  // key's length (2), the kind (1), the key.
  static constexpr std::size_t kBlock = std::size_t{1} << 20;
  static constexpr std::size_t kHead = 5;
  struct Slot {
    std::uint32_t at = 0;     // the entry's offset in the arena plus one; 0: empty
    std::uint32_t hash = 0;   // of kind and key, kept to grow the table without the arena
  };
  Slot* slots() const { return reinterpret_cast<Slot*>(slots_.data()); }
  const unsigned char* entry(std::uint32_t at) const {
    return reinterpret_cast<const unsigned char*>(blocks_[(at - 1) / kBlock].data()) + (at - 1) % kBlock;
  }
  // The slot of (kind, key): its entry's, or the empty one where it would go.
  Slot& find(int kind, std::string_view key, std::uint32_t hash);
  std::uint32_t add(int kind, std::string_view key, std::uint32_t file);   // the new entry's `at`
  void grow();
  void spill();
  void forget() noexcept;   // the keys in memory
  std::uint32_t file_index(const std::string& file);

  Db& db_;
  std::size_t memory_bytes_;
  Stmt note_, file_of_, unseen_;
  bool in_memory_ = false;
  // Straight from the kernel (io/pages.h), as megabytes that live through one source.
  std::vector<io::Pages> blocks_;
  std::vector<std::uint32_t> filled_;   // per block: the bytes its entries take
  io::Pages slots_;                     // Slot[slot_count_]: zeroed, so empty
  std::size_t slot_count_ = 0;          // a power of two, at most 70% full
  std::size_t count_ = 0;
  std::vector<std::string> files_;
};

// The files one transaction reads into a source that held no record when its first file
// began (a first load of several files, as a source's returns of three years): none of them
// held a row of it before, so a file read for the first time leaves nothing to remove, and
// the statements that look for what it no longer gives need not run (at 1,000,000 children,
// 21 s of them for the second and third returns, which removed nothing).
class NewFiles {
 public:
  // At each begin_file: whether the source held no record then.
  void begin(const std::string& source, bool source_empty);
  // Whether none of the files held a row of the source when the transaction began.
  bool none_before(const std::string& source, const std::vector<std::string>& files) const;
  // At each end_file: the files are read (a second reading may have something to remove).
  void read(const std::string& source, const std::vector<std::string>& files);
  // At the transaction's end.
  void clear() noexcept;

 private:
  std::string source_;   // "": no source began empty in this transaction
  std::set<std::string> read_;
};

}  // namespace sendhub::sqlite
