// pipeline/group_codec.h: a person group as compact bytes, for the run's walk kept in memory
// (dataset_cache.h). A Record as objects costs about a kilobyte on the heap (a string object
// per field, its origin, its keys); as bytes about a fifth of that: each text with a varint
// length, the files and sources it came from once per run (interned).
#pragma once

#include <string>
#include <unordered_map>
#include <vector>

#include "sendhub/plugin.h"

namespace sendhub {

class GroupCodec {
 public:
  std::string encode(const PersonGroup& group);
  PersonGroup decode(const std::string& bytes) const;
  std::size_t interned_bytes() const { return interned_bytes_; }

 private:
  void put_record(std::string& out, const Record& r);
  void put_interned(std::string& out, const std::string& s);
  std::vector<std::string> strings_;
  std::unordered_map<std::string, std::size_t> index_;
  std::size_t interned_bytes_ = 0;
};

}  // namespace sendhub
