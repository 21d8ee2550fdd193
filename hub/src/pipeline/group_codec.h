// pipeline/group_codec.h: a person group as compact bytes, for the run's walk kept in memory
// (dataset_cache.h). A Record as objects costs about a kilobyte on the heap (a string object
// per field, its origin, its keys); as bytes about a fifth of that: each text with a varint
// length, the files and sources it came from once per run (interned).
#pragma once

#include <string>
#include <unordered_map>
#include <vector>

#include "sendhub/plugin.h"
#include "store/store.h"

namespace sendhub {

struct GroupReader;   // the bytes being read back (group_codec.cpp)

class GroupCodec {
 public:
  std::string encode(const PersonGroup& group);
  PersonGroup decode(const std::string& bytes) const;
  // A group as the store gives it, before precedence: what a walk keeps, so that any query
  // (another order, other loaded years) can be made from it.
  std::string encode(const StoredGroup& group);
  StoredGroup decode_stored(const std::string& bytes) const;
  std::size_t interned_bytes() const { return interned_bytes_; }

 private:
  void put_record(std::string& out, const Record& r);
  void read_records(GroupReader& in, std::vector<Record>& list) const;
  void put_interned(std::string& out, const std::string& s);
  std::vector<std::string> strings_;
  std::unordered_map<std::string, std::size_t> index_;
  std::size_t interned_bytes_ = 0;
};

}  // namespace sendhub
