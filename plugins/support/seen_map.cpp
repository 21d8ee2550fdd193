#include "seen_map.h"

#include <sqlite3.h>

#include <cstring>
#include <functional>
#include <stdexcept>

#include "temp_db.h"

namespace plugin_support {

class SeenMap::File {
 public:
  File()
      : db_("the keys seen", "CREATE TABLE seen (k BLOB PRIMARY KEY, v BLOB NOT NULL) WITHOUT ROWID; BEGIN", 16384),
        insert_(db_, "INSERT OR IGNORE INTO seen (k, v) VALUES (?1, ?2)"),
        assign_(db_, "UPDATE seen SET v = ?2 WHERE k = ?1"),
        value_(db_, "SELECT v FROM seen WHERE k = ?1") {}

  bool insert(std::string_view key, std::string_view value) {
    insert_.run(db_, {key, value});
    return sqlite3_changes(db_.db()) > 0;
  }
  void assign(std::string_view key, std::string_view value) {
    assign_.run(db_, {key, value});
    if (sqlite3_changes(db_.db()) == 0) throw std::invalid_argument("SeenMap: a new value for a key not there");
  }

  std::string value(std::string_view key) const {
    sqlite3_stmt* s = value_.get();
    sqlite3_reset(s);
    sqlite3_bind_blob(s, 1, key.data(), static_cast<int>(key.size()), SQLITE_STATIC);
    const int step = sqlite3_step(s);
    if (step == SQLITE_DONE) throw std::invalid_argument("SeenMap: the value of a key not there");
    if (step != SQLITE_ROW) db_.fail("read");
    std::string v;
    if (const auto* bytes = static_cast<const char*>(sqlite3_column_blob(s, 0)))
      v.assign(bytes, static_cast<std::size_t>(sqlite3_column_bytes(s, 0)));
    sqlite3_reset(s);
    return v;
  }

 private:
  TempDb db_;
  TempDb::Stmt insert_, assign_, value_;
};

SeenMap::SeenMap(std::size_t memory_bytes, std::size_t value_size) : budget_(memory_bytes), value_size_(value_size) {
  if (budget_ == 0) file_ = std::make_unique<File>();
}

SeenMap::~SeenMap() = default;

std::string_view SeenMap::key_at(std::uint32_t at) const {
  std::uint32_t size = 0;
  std::memcpy(&size, packed_.data() + at, sizeof size);
  return {packed_.data() + at + sizeof size, size};
}

char* SeenMap::value_at(std::uint32_t at) { return packed_.data() + at + sizeof(std::uint32_t) + key_at(at).size(); }

std::int64_t SeenMap::find(std::string_view key) const {
  return index_.find(std::hash<std::string_view>()(key), [&](std::uint32_t at) { return key_at(at) == key; });
}

void SeenMap::check_width(std::string_view value) const {
  if (value.size() != value_size_) throw std::invalid_argument("SeenMap: a value of " + std::to_string(value.size()) +
                                                               " bytes where every value has " + std::to_string(value_size_));
}

bool SeenMap::insert(std::string_view key, std::string_view value) {
  check_width(value);
  if (file_) return file_->insert(key, value);
  const auto at = static_cast<std::uint32_t>(packed_.size());
  if (index_.find_or_add(std::hash<std::string_view>()(key), at, [&](std::uint32_t i) { return key_at(i) == key; }) != at)
    return false;
  const auto size = static_cast<std::uint32_t>(key.size());
  packed_.append(reinterpret_cast<const char*>(&size), sizeof size).append(key).append(value);
  // The capacities, not the sizes: what the map holds in memory. The offsets are 32-bit.
  if (packed_.capacity() + index_.bytes() > budget_ || packed_.size() > UINT32_MAX / 2) move_to_file();
  return true;
}

std::string SeenMap::value(std::string_view key) const {
  if (file_) return file_->value(key);
  const std::int64_t at = find(key);
  if (at < 0) throw std::invalid_argument("SeenMap: the value of a key not there");
  const auto start = static_cast<std::size_t>(at) + sizeof(std::uint32_t) + key.size();
  return packed_.substr(start, value_size_);
}

void SeenMap::assign(std::string_view key, std::string_view value) {
  check_width(value);
  if (file_) return file_->assign(key, value);
  const std::int64_t at = find(key);
  if (at < 0) throw std::invalid_argument("SeenMap: a new value for a key not there");
  std::memcpy(value_at(static_cast<std::uint32_t>(at)), value.data(), value_size_);
}

// Past the budget: every key held goes to the database with its value, and the memory is
// given back.
void SeenMap::move_to_file() {
  file_ = std::make_unique<File>();
  for (std::size_t at = 0; at < packed_.size();) {
    const std::string_view k = key_at(static_cast<std::uint32_t>(at));
    const std::size_t value_start = at + sizeof(std::uint32_t) + k.size();
    file_->insert(k, std::string_view(packed_).substr(value_start, value_size_));
    at = value_start + value_size_;
  }
  std::string().swap(packed_);
  index_.clear();
}

}  // namespace plugin_support
