// store/sqlite/sqlite_seen.h: the keys a file (or files read as one) has given so far, so a
// second row with the same key is caught (Store::keep, Store::kept_by).
//
// The keys live in the temp table `seen`, which the removal of rows a file no longer holds
// reads in SQL. A first load of a source removes nothing, so there the keys are held in a
// hash map instead: a B-tree insert per record was a sixth of the SQLite time of a council's
// SEN2 load (issue 30). Past kMemoryKeys keys (a national file) they move to the table and
// the rest follow them there, so memory stays bounded.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "store/sqlite/sqlite_db.h"

namespace sendhub::sqlite {

class SeenKeys {
 public:
  // About 30 MB of keys at most; a council's files stay well under it.
  static constexpr std::size_t kMemoryKeys = 1 << 18;

  explicit SeenKeys(Db& db, std::size_t memory_keys = kMemoryKeys);
  // Forgets every key; in memory until kMemoryKeys when the caller will not read the table.
  void restart(bool in_memory);
  // True when (kind, key) is new, noting the file that gave it.
  bool note(int kind, const std::string& key, const std::string& file);
  // The file that gave (kind, key) first, or "".
  std::string file_of(int kind, const std::string& key);
  // Forgets every key, in memory and in the table (never throws: used on rollback).
  void clear() noexcept;
  bool in_memory() const { return in_memory_; }

 private:
  void spill();
  // The kind as the key's first byte (kinds are a dozen): one string, nothing to parse back.
  static std::string map_key(int kind, const std::string& key) {
    std::string out(1, static_cast<char>(kind));
    return out += key;
  }
  std::uint32_t file_index(const std::string& file);

  Db& db_;
  std::size_t memory_keys_;
  Stmt note_, file_of_;
  bool in_memory_ = false;
  std::unordered_map<std::string, std::uint32_t> keys_;   // kind and key -> index into files_
  std::vector<std::string> files_;
};

}  // namespace sendhub::sqlite
