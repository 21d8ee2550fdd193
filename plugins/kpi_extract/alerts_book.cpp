#include "alerts_book.h"

#include <sqlite3.h>

#include <algorithm>
#include <string_view>

#include "sendhub/error.h"

namespace kpi {
namespace {

std::string text(sqlite3_stmt* s, int col) {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(s, col));
  return std::string(p ? p : "", static_cast<std::size_t>(sqlite3_column_bytes(s, col)));
}

void bind(sqlite3_stmt* s, int i, const std::string& v) {
  sqlite3_bind_text(s, i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
}

}  // namespace

// The book in its temporary file. The table has no index while the walk adds to it: both
// indexes are built by sorting once (seal), which costs far less than keeping them in order
// row by row.
class AlertBook::File {
 public:
  File()
      : db_("the alerts",
            "CREATE TABLE added (seq INTEGER PRIMARY KEY, recipient TEXT NOT NULL, key TEXT NOT NULL, "
            "case_ref TEXT NOT NULL, days_left INTEGER NOT NULL, sections INTEGER NOT NULL, alert TEXT NOT NULL); BEGIN",
            8192),
        insert_(db_, "INSERT INTO added (seq, recipient, key, case_ref, days_left, sections, alert) "
                     "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)") {}

  void add(const Entry& e) {
    sqlite3_stmt* s = insert_.get();
    sqlite3_reset(s);
    sqlite3_bind_int64(s, 1, ++seq_);
    bind(s, 2, e.recipient);
    bind(s, 3, e.key);
    bind(s, 4, e.case_ref);
    sqlite3_bind_int64(s, 5, e.days_left);
    sqlite3_bind_int(s, 6, static_cast<int>(e.sections));
    bind(s, 7, e.row);
    if (sqlite3_step(s) != SQLITE_DONE) db_.fail("write");
    sqlite3_reset(s);
  }

  // The digests' table: one row per (recipient, alert key), the first added (SQLite takes a
  // bare column's value from the row min() chose), stored in the order a digest is read, so a
  // digest is one sequential scan. Both steps sort (an external merge past the cache) rather
  // than keep an index in order row by row or look rows up at random.
  void seal() {
    db_.exec("CREATE TABLE digest (recipient TEXT, days_left INTEGER, key TEXT, case_ref TEXT, sections INTEGER, alert TEXT, "
             "PRIMARY KEY (recipient, days_left, key)) WITHOUT ROWID; "
             "INSERT INTO digest SELECT recipient, days_left, key, case_ref, sections, alert FROM "
             "(SELECT recipient, key, case_ref, days_left, sections, alert, min(seq) FROM added GROUP BY recipient, key) "
             "ORDER BY recipient, days_left, key; "
             "DROP TABLE added; COMMIT");
  }

  std::vector<DigestHead> heads() {
    std::vector<DigestHead> out;
    const plugin_support::TempDb::Stmt read(db_, "SELECT recipient, count(*), count(DISTINCT case_ref) FROM digest "
                                                 "GROUP BY recipient ORDER BY recipient");
    sqlite3_stmt* s = read.get();
    int rc = SQLITE_ROW;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) out.push_back({text(s, 0), sqlite3_column_int64(s, 1), sqlite3_column_int64(s, 2)});
    if (rc != SQLITE_DONE) db_.fail("read");
    return out;
  }

  // The digest's rows of `to` in digest order whose sections share a bit with `bits` (0: all).
  void each(const std::string& to, unsigned bits, const std::function<void(const Alert&)>& visit) {
    const plugin_support::TempDb::Stmt read(db_, "SELECT alert FROM digest WHERE recipient = ?1 AND (?2 = 0 OR (sections & ?2) != 0) "
                                                 "ORDER BY days_left, key");
    sqlite3_stmt* s = read.get();
    bind(s, 1, to);
    sqlite3_bind_int(s, 2, static_cast<int>(bits));
    int rc = SQLITE_ROW;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) visit(Alert::parse(text(s, 0)));
    if (rc != SQLITE_DONE) db_.fail("read");
  }

 private:
  plugin_support::TempDb db_;
  plugin_support::TempDb::Stmt insert_;
  std::int64_t seq_ = 0;
};

AlertBook::AlertBook(std::size_t memory_bytes) : budget_(memory_bytes) {
  if (budget_ == 0) file_ = std::make_unique<File>();
}

AlertBook::~AlertBook() = default;

void AlertBook::add(const std::string& to, const Alert& a, unsigned sections) {
  if (sealed_) throw sendhub::Error(sendhub::Where{}, "", "io", "the alerts: added to after reading");
  if (file_) return file_->add(Entry{to, a.key(), a.case_ref, a.days_left, sections, a.serialise()});
  const auto [id, added] = recipient_ids_.try_emplace(to, static_cast<std::uint32_t>(recipients_.size()));
  if (added) recipients_.push_back(to);
  const auto at = static_cast<std::uint32_t>(held_.size());
  std::string key = a.key();
  const auto key_size = static_cast<std::uint32_t>(key.size());
  key.append(a.case_ref).append(a.serialise());
  const Held& kept = held_.emplace_back(Held{id->second, key_size, static_cast<std::uint32_t>(a.case_ref.size()), a.days_left,
                                             sections, std::move(key)});
  const std::size_t hash = std::hash<std::string_view>()(kept.key()) ^ (std::size_t{kept.to} * 0x9e3779b97f4a7c15ULL);
  if (first_.find_or_add(hash, at, [&](std::uint32_t i) { return held_[i].to == kept.to && held_[i].key() == kept.key(); }) != at) {
    held_.pop_back();   // the same alert to the same recipient: the first counts
    return;
  }
  constexpr std::size_t kIndexBytes = 32;   // its slots in first_ (8 bytes each, a quarter to half full)
  held_bytes_ += sizeof(Held) + kIndexBytes + kept.text.capacity();
  if (held_bytes_ > budget_ || held_.size() == UINT32_MAX) move_to_file();
}

// Past the budget: what is held goes to the file in the order it came, and the rest after it.
void AlertBook::move_to_file() {
  file_ = std::make_unique<File>();
  for (const auto& h : held_)
    file_->add(Entry{recipients_[h.to], std::string(h.key()), std::string(h.case_ref()), h.days_left, h.sections, std::string(h.row())});
  first_.clear();
  std::deque<Held>().swap(held_);
  held_bytes_ = 0;
}

// The recipients in byte order; returns each one's new number by its old.
std::vector<std::uint32_t> AlertBook::sort_recipients() {
  std::unordered_map<std::string, std::uint32_t>().swap(recipient_ids_);
  std::vector<std::uint32_t> rank(recipients_.size()), renumber(recipients_.size());
  for (std::uint32_t i = 0; i < rank.size(); ++i) rank[i] = i;
  std::sort(rank.begin(), rank.end(), [&](std::uint32_t a, std::uint32_t b) { return recipients_[a] < recipients_[b]; });
  std::vector<std::string> sorted;
  sorted.reserve(rank.size());
  for (std::uint32_t i = 0; i < rank.size(); ++i) {
    sorted.push_back(std::move(recipients_[rank[i]]));
    renumber[rank[i]] = i;
  }
  recipients_.swap(sorted);
  return renumber;
}

// As the file's seal: the first of each (recipient, key) in the order added (add kept only
// those), in digest order: recipients in byte order, then days left, then key. The entries are
// sorted by their positions and each moved once, never swapped about whole (sorted as entries
// of four strings, a night's 204,555 alerts at 100,000 children took a tenth of the sink).
void AlertBook::seal() {
  if (sealed_) return;
  sealed_ = true;
  if (file_) return file_->seal();
  first_.clear();
  const std::vector<std::uint32_t> renumber = sort_recipients();
  std::vector<std::uint32_t> order(held_.size());
  for (std::uint32_t i = 0; i < held_.size(); ++i) {
    held_[i].to = renumber[held_[i].to];
    order[i] = i;
  }
  std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
    const Held &x = held_[a], &y = held_[b];
    if (x.to != y.to) return x.to < y.to;
    if (x.days_left != y.days_left) return x.days_left < y.days_left;
    return x.key() < y.key();
  });
  // In place, cycle by cycle (place i takes the entry at order[i]): each entry moved once, and
  // no second copy of them all.
  std::vector<bool> placed(order.size());
  for (std::size_t i = 0; i < order.size(); ++i) {
    if (placed[i]) continue;
    Held first = std::move(held_[i]);
    std::size_t at = i;
    for (std::size_t from = order[at]; from != i; at = from, from = order[at]) {
      held_[at] = std::move(held_[from]);
      placed[at] = true;
    }
    held_[at] = std::move(first);
    placed[at] = true;
  }
}

std::pair<std::size_t, std::size_t> AlertBook::range_of(const std::string& to) const {
  const auto known = std::lower_bound(recipients_.begin(), recipients_.end(), to);
  if (known == recipients_.end() || *known != to) return {0, 0};
  const auto n = static_cast<std::uint32_t>(known - recipients_.begin());
  const auto first = std::partition_point(held_.begin(), held_.end(), [&](const Held& e) { return e.to < n; });
  const auto last = std::partition_point(first, held_.end(), [&](const Held& e) { return e.to == n; });
  return {static_cast<std::size_t>(first - held_.begin()), static_cast<std::size_t>(last - held_.begin())};
}

std::vector<DigestHead> AlertBook::heads() {
  seal();
  if (file_) return file_->heads();
  std::vector<DigestHead> out;
  for (std::size_t i = 0; i < held_.size();) {
    const std::string& to = recipients_[held_[i].to];
    const auto [from, until] = range_of(to);
    plugin_support::SlotIndex cases;   // the first entry of each case reference (sorting them all was a tenth of the sink)
    for (std::size_t j = from; j < until; ++j) {
      const std::string_view ref = held_[j].case_ref();
      cases.find_or_add(std::hash<std::string_view>()(ref), static_cast<std::uint32_t>(j),
                        [&](std::uint32_t k) { return held_[k].case_ref() == ref; });
    }
    out.push_back({to, static_cast<std::int64_t>(until - from), static_cast<std::int64_t>(cases.size())});
    i = until;
  }
  return out;
}

void AlertBook::each_in_section(const std::string& to, unsigned section_bit, const std::function<void(const Alert&)>& visit) {
  seal();
  if (file_) return file_->each(to, section_bit, visit);
  const auto [from, until] = range_of(to);
  for (std::size_t j = from; j < until; ++j)
    if ((held_[j].sections & section_bit) != 0) visit(Alert::parse(held_[j].row()));
}

void AlertBook::each_of(const std::string& to, const std::function<void(const Alert&)>& visit) {
  seal();
  if (file_) return file_->each(to, 0, visit);
  const auto [from, until] = range_of(to);
  for (std::size_t j = from; j < until; ++j) visit(Alert::parse(held_[j].row()));
}

}  // namespace kpi
