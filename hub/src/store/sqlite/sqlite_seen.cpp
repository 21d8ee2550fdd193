#include "store/sqlite/sqlite_seen.h"

#include <algorithm>
#include <cstring>
#include <functional>

#include "sendhub/error.h"

namespace sendhub::sqlite {
namespace {

constexpr std::size_t kMaxShort = 0xFFFF;   // a key's length and a file's index fit two bytes

std::uint32_t hash_of(int kind, std::string_view key) {
  const std::uint64_t h = std::hash<std::string_view>{}(key) ^ (static_cast<std::uint64_t>(kind) * 0x9E3779B97F4A7C15ULL);
  return static_cast<std::uint32_t>(h ^ (h >> 32));
}

std::size_t read_short(const unsigned char* p) { return p[0] | static_cast<std::size_t>(p[1]) << 8; }

void write_short(char* p, std::size_t v) {
  p[0] = static_cast<char>(v & 0xFF);
  p[1] = static_cast<char>(v >> 8);
}

}  // namespace

SeenKeys::SeenKeys(Db& db, std::size_t memory_bytes) : db_(db), memory_bytes_(memory_bytes) {
  // WITHOUT ROWID: one B-tree, not a table and its key's index (every record read adds a row).
  db_.exec("CREATE TEMP TABLE IF NOT EXISTS seen (kind INTEGER, rkey TEXT, file TEXT, PRIMARY KEY (kind, rkey)) WITHOUT ROWID");
  note_ = Stmt(db_, "INSERT OR IGNORE INTO temp.seen(kind, rkey, file) VALUES (?1, ?2, ?3)");
  file_of_ = Stmt(db_, "SELECT file FROM temp.seen WHERE kind = ?1 AND rkey = ?2");
  db_.exec("CREATE TEMP TABLE IF NOT EXISTS unseen (kind INTEGER, rkey TEXT, PRIMARY KEY (kind, rkey)) WITHOUT ROWID");
  unseen_ = Stmt(db_, "INSERT OR IGNORE INTO temp.unseen(kind, rkey) VALUES (?1, ?2)");
}

void SeenKeys::restart() {
  clear();
  in_memory_ = true;
}

std::int64_t SeenKeys::list_unseen(int kind, Stmt& stored) {
  db_.exec("DELETE FROM temp.unseen");
  std::int64_t n = 0;
  while (stored.step()) {
    const std::string_view key = stored.blob_view(0);   // the column's bytes, no copy
    if (slot_count_ != 0 && find(kind, key, hash_of(kind, key)).at != 0) continue;
    unseen_.reset().bind(1, static_cast<std::int64_t>(kind)).bind(2, key).run();
    ++n;
  }
  stored.reset();
  return n;
}

// Files read as one are a few, and their rows come file by file: the last one first.
std::uint32_t SeenKeys::file_index(const std::string& file) {
  if (!files_.empty() && files_.back() == file) return static_cast<std::uint32_t>(files_.size() - 1);
  auto at = std::find(files_.begin(), files_.end(), file);
  if (at == files_.end()) at = files_.insert(files_.end(), file);
  return static_cast<std::uint32_t>(at - files_.begin());
}

SeenKeys::Slot& SeenKeys::find(int kind, std::string_view key, std::uint32_t hash) {
  const std::size_t mask = slot_count_ - 1;
  for (std::size_t i = hash & mask;; i = (i + 1) & mask) {
    Slot& s = slots()[i];
    if (s.at == 0) return s;
    if (s.hash != hash) continue;
    const unsigned char* e = entry(s.at);
    if (read_short(e + 2) == key.size() && e[4] == kind && std::memcmp(e + kHead, key.data(), key.size()) == 0) return s;
  }
}

std::uint32_t SeenKeys::add(int kind, std::string_view key, std::uint32_t file) {
  const std::size_t size = kHead + key.size();
  if (blocks_.empty() || filled_.back() + size > kBlock) {
    blocks_.emplace_back(kBlock);
    filled_.push_back(0);
  }
  char* p = blocks_.back().data() + filled_.back();
  write_short(p, file);
  write_short(p + 2, key.size());
  p[4] = static_cast<char>(kind);
  std::memcpy(p + kHead, key.data(), key.size());
  const std::size_t at = (blocks_.size() - 1) * kBlock + filled_.back() + 1;
  filled_.back() += static_cast<std::uint32_t>(size);
  return static_cast<std::uint32_t>(at);
}

// Twice the slots, each entry placed again by its kept hash.
void SeenKeys::grow() {
  const std::size_t count = std::max<std::size_t>(1024, slot_count_ * 2);
  io::Pages old = std::exchange(slots_, io::Pages(count * sizeof(Slot)));
  const auto* old_slots = reinterpret_cast<const Slot*>(old.data());
  const std::size_t old_count = std::exchange(slot_count_, count), mask = count - 1;
  for (std::size_t k = 0; k < old_count; ++k) {
    const Slot& s = old_slots[k];
    if (s.at == 0) continue;
    std::size_t i = s.hash & mask;
    while (slots()[i].at != 0) i = (i + 1) & mask;
    slots()[i] = s;
  }
}

bool SeenKeys::note(int kind, const std::string& key, const std::string& file) {
  // An arena offset is 32 bits: far past the limit of any budget this class is given.
  if (in_memory_ && (key.size() > kMaxShort || files_.size() >= kMaxShort || blocks_.size() >= 4095)) spill();
  if (in_memory_) {
    const std::uint32_t f = file_index(file);
    if ((count_ + 1) * 10 > slot_count_ * 7) grow();
    const std::uint32_t hash = hash_of(kind, key);
    Slot& s = find(kind, key, hash);
    if (s.at != 0) return false;
    s.at = add(kind, key, f);
    s.hash = hash;
    ++count_;
    if (memory_bytes() > memory_bytes_) spill();
    return true;
  }
  note_.reset().bind(1, static_cast<std::int64_t>(kind)).bind(2, key).bind_text(3, file).run();
  return db_.changes() > 0;
}

std::string SeenKeys::file_of(int kind, const std::string& key) {
  if (in_memory_) {
    if (slot_count_ == 0) return "";
    const Slot& s = find(kind, key, hash_of(kind, key));
    return s.at == 0 ? "" : files_[read_short(entry(s.at))];
  }
  file_of_.reset().bind(1, static_cast<std::int64_t>(kind)).bind(2, key);
  std::string file = file_of_.step() ? file_of_.text(0) : "";
  file_of_.reset();   // an open read would block DDL on this connection
  return file;
}

// The keys so far go to the table in one pass, in the order they came; the rest of the
// file follows them there.
void SeenKeys::spill() {
  in_memory_ = false;
  for (std::size_t b = 0; b < blocks_.size(); ++b) {
    const auto* block = reinterpret_cast<const unsigned char*>(blocks_[b].data());
    for (std::size_t pos = 0; pos < filled_[b];) {
      const unsigned char* e = block + pos;
      const std::size_t length = read_short(e + 2);
      const std::string_view key(reinterpret_cast<const char*>(e + kHead), length);
      note_.reset().bind(1, static_cast<std::int64_t>(e[4])).bind(2, key).bind_text(3, files_[read_short(e)]).run();
      pos += kHead + length;
    }
  }
  forget();
}

void SeenKeys::forget() noexcept {
  blocks_.clear();
  filled_.clear();
  slots_ = {};
  slot_count_ = 0;
  count_ = 0;
  files_.clear();
}

void SeenKeys::clear() noexcept {
  forget();
  in_memory_ = false;
  try {
    db_.exec("DELETE FROM temp.seen");
  } catch (const Error&) {  // after a failed statement the table is emptied at the next restart
  }
}

void NewFiles::begin(const std::string& source, bool source_empty) {
  if (source_empty) {
    source_ = source;
    read_.clear();
  } else if (source != source_) {
    clear();
  }
}

bool NewFiles::none_before(const std::string& source, const std::vector<std::string>& files) const {
  return source == source_ && std::none_of(files.begin(), files.end(), [&](const std::string& f) { return read_.count(f) > 0; });
}

void NewFiles::read(const std::string& source, const std::vector<std::string>& files) {
  if (source == source_) read_.insert(files.begin(), files.end());
}

void NewFiles::clear() noexcept {
  source_.clear();
  read_.clear();
}

}  // namespace sendhub::sqlite
