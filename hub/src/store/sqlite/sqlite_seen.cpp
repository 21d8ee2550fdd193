#include "store/sqlite/sqlite_seen.h"

#include <algorithm>

#include "sendhub/error.h"

namespace sendhub::sqlite {

SeenKeys::SeenKeys(Db& db, std::size_t memory_keys) : db_(db), memory_keys_(memory_keys) {
  // WITHOUT ROWID: one B-tree, not a table and its key's index (every record read adds a row).
  db_.exec("CREATE TEMP TABLE IF NOT EXISTS seen (kind INTEGER, rkey TEXT, file TEXT, PRIMARY KEY (kind, rkey)) WITHOUT ROWID");
  note_ = Stmt(db_, "INSERT OR IGNORE INTO temp.seen(kind, rkey, file) VALUES (?1, ?2, ?3)");
  file_of_ = Stmt(db_, "SELECT file FROM temp.seen WHERE kind = ?1 AND rkey = ?2");
}

void SeenKeys::restart(bool in_memory) {
  clear();
  in_memory_ = in_memory;
}

// Files read as one are a few, and their rows come file by file: the last one first.
std::uint32_t SeenKeys::file_index(const std::string& file) {
  if (!files_.empty() && files_.back() == file) return static_cast<std::uint32_t>(files_.size() - 1);
  auto at = std::find(files_.begin(), files_.end(), file);
  if (at == files_.end()) at = files_.insert(files_.end(), file);
  return static_cast<std::uint32_t>(at - files_.begin());
}

bool SeenKeys::note(int kind, const std::string& key, const std::string& file) {
  if (in_memory_) {
    const bool added = keys_.emplace(map_key(kind, key), file_index(file)).second;
    if (keys_.size() > memory_keys_) spill();
    return added;
  }
  note_.reset().bind(1, static_cast<std::int64_t>(kind)).bind(2, key).bind_text(3, file).run();
  return db_.changes() > 0;
}

std::string SeenKeys::file_of(int kind, const std::string& key) {
  if (in_memory_) {
    auto it = keys_.find(map_key(kind, key));
    return it == keys_.end() ? "" : files_[it->second];
  }
  file_of_.reset().bind(1, static_cast<std::int64_t>(kind)).bind(2, key);
  std::string file = file_of_.step() ? file_of_.text(0) : "";
  file_of_.reset();   // an open read would block DDL on this connection
  return file;
}

// The keys so far go to the table in one pass; the rest of the file follows them there.
void SeenKeys::spill() {
  in_memory_ = false;
  for (const auto& [k, file] : keys_) {
    note_.reset().bind(1, static_cast<std::int64_t>(static_cast<unsigned char>(k[0]))).bind(2, std::string_view(k).substr(1));
    note_.bind_text(3, files_[file]).run();
  }
  keys_ = {};
  files_.clear();
}

void SeenKeys::clear() noexcept {
  keys_ = {};
  files_.clear();
  in_memory_ = false;
  try {
    db_.exec("DELETE FROM temp.seen");
  } catch (const Error&) {  // after a failed statement the table is emptied at the next restart
  }
}

}  // namespace sendhub::sqlite
