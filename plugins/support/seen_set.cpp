#include "seen_set.h"

#include <sqlite3.h>

#include <cstring>
#include <functional>

#include "temp_db.h"

namespace plugin_support {

class SeenSet::File {
 public:
  File()
      : db_("the values seen", "CREATE TABLE seen (v BLOB PRIMARY KEY) WITHOUT ROWID; BEGIN", 16384),
        insert_(db_, "INSERT OR IGNORE INTO seen (v) VALUES (?1)") {}

  bool insert(std::string_view value) {
    insert_.run(db_, {value});
    return sqlite3_changes(db_.db()) > 0;
  }

 private:
  TempDb db_;
  TempDb::Stmt insert_;
};

SeenSet::SeenSet(std::size_t memory_bytes) : budget_(memory_bytes) {
  if (budget_ == 0) file_ = std::make_unique<File>();
}

SeenSet::~SeenSet() = default;

std::string_view SeenSet::held(std::uint32_t at) const {
  std::uint32_t size = 0;
  std::memcpy(&size, packed_.data() + at, sizeof size);
  return {packed_.data() + at + sizeof size, size};
}

bool SeenSet::insert(std::string_view value) {
  if (file_) return file_->insert(value);
  const auto at = static_cast<std::uint32_t>(packed_.size());
  if (index_.find_or_add(std::hash<std::string_view>()(value), at, [&](std::uint32_t i) { return held(i) == value; }) != at)
    return false;
  const auto size = static_cast<std::uint32_t>(value.size());
  packed_.append(reinterpret_cast<const char*>(&size), sizeof size).append(value);
  // The capacities, not the sizes: what the set holds in memory. The offsets are 32-bit.
  if (packed_.capacity() + index_.bytes() > budget_ || packed_.size() > UINT32_MAX / 2) move_to_file();
  return true;
}

// Past the budget: every value held goes to the database, and the memory is given back.
void SeenSet::move_to_file() {
  file_ = std::make_unique<File>();
  for (std::size_t at = 0; at < packed_.size();) {
    const std::string_view v = held(static_cast<std::uint32_t>(at));
    file_->insert(v);
    at += sizeof(std::uint32_t) + v.size();
  }
  std::string().swap(packed_);
  index_.clear();
}

}  // namespace plugin_support
