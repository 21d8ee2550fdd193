#include "sorted_spill.h"

#include <sqlite3.h>

#include <algorithm>
#include <cstdint>

#include "temp_db.h"

namespace plugin_support {

class SortedSpill::File {
 public:
  File()
      : db_("a sorted list", "CREATE TABLE spill (seq INTEGER PRIMARY KEY, k BLOB NOT NULL, v BLOB NOT NULL); BEGIN", 4096),
        insert_(db_, "INSERT INTO spill (k, v) VALUES (?1, ?2)") {}

  void add(std::string_view key, std::string_view row) { insert_.run(db_, {key, row}); }

  void each(const std::function<void(std::string_view key, std::string_view row)>& visit) const {
    const TempDb::Stmt read(db_, "SELECT k, v FROM spill ORDER BY k, seq");
    sqlite3_stmt* s = read.get();
    const auto text = [s](int col) {
      const auto* p = static_cast<const char*>(sqlite3_column_blob(s, col));
      return std::string_view(p ? p : "", static_cast<std::size_t>(sqlite3_column_bytes(s, col)));
    };
    int rc = SQLITE_ROW;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) visit(text(0), text(1));
    if (rc != SQLITE_DONE) db_.fail("read");
  }

 private:
  TempDb db_;
  TempDb::Stmt insert_;
};

SortedSpill::SortedSpill(std::size_t memory_bytes) : budget_(memory_bytes) {
  if (budget_ == 0) file_ = std::make_unique<File>();
}

SortedSpill::~SortedSpill() = default;

void SortedSpill::add(std::string_view key, std::string_view row) {
  ++size_;
  if (!file_ && (key.size() > UINT32_MAX || row.size() > UINT32_MAX)) move_to_file();   // lengths held in 32 bits
  if (file_) return file_->add(key, row);
  held_.push_back({packed_.size(), static_cast<std::uint32_t>(key.size()), static_cast<std::uint32_t>(row.size())});
  packed_.append(key).append(row);
  // The capacities, not the sizes: what the rows hold in memory.
  if (packed_.capacity() + held_.capacity() * sizeof(Held) > budget_) move_to_file();
}

// Past the budget: every row held goes to the database, in the order added, and the memory is
// given back.
void SortedSpill::move_to_file() {
  file_ = std::make_unique<File>();
  for (const Held& h : held_) file_->add(key_of(h), row_of(h));
  std::string().swap(packed_);
  std::vector<Held>().swap(held_);
}

// Held: sorted here by key as bytes (std::string_view compares as unsigned char, as SQLite's
// BLOBs do), a stable sort keeping the rows of one key in the order added.
void SortedSpill::each(const std::function<void(std::string_view key, std::string_view row)>& visit) const {
  if (file_) return file_->each(visit);
  std::vector<const Held*> order;
  order.reserve(held_.size());
  for (const Held& h : held_) order.push_back(&h);
  std::stable_sort(order.begin(), order.end(), [&](const Held* a, const Held* b) { return key_of(*a) < key_of(*b); });
  for (const Held* h : order) visit(key_of(*h), row_of(*h));
}

}  // namespace plugin_support
