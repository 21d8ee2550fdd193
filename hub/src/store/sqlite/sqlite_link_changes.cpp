#include "store/sqlite/sqlite_link_changes.h"

#include "store/sqlite/sqlite_dataset.h"

namespace sendhub::sqlite {
namespace {

// Beyond this many changed records one linking of everything costs less than following
// each change to the people it touches, and noting them would slow the load.
constexpr std::int64_t kMostNoted = 250000;

bool linked(RecordKind kind) { return kind != RecordKind::la_return; }

// The reference linking joins the record on (ref_column's value).
std::string ref_of(const Record& r) {
  if (hangs_from_request(r.kind())) return r.get("request_ref");
  return store::hangs_from_person(r.kind()) ? r.get("person_ref") : r.key();
}

// A census pupil's change is its person's: the person's group is indexed again, with it.
std::int64_t noted_kind(RecordKind kind) {
  return static_cast<std::int64_t>(store::hangs_from_person(kind) ? RecordKind::person : kind);
}

}  // namespace

LinkChangeLog::LinkChangeLog(Db& db) : db_(db) {
  note_ = Stmt(db_, "INSERT OR IGNORE INTO link_changes(kind, source, ref) VALUES (?1, ?2, ?3)");
  for (const auto& k : kKinds) {
    if (!linked(k.kind)) continue;
    const auto i = static_cast<std::size_t>(k.kind);
    const std::string select = "INSERT OR IGNORE INTO link_changes(kind, source, ref) SELECT " +
                               std::to_string(noted_kind(k.kind)) + ", source, COALESCE(" + std::string(ref_column(k.kind)) +
                               ", '') FROM " + std::string(k.name) + " WHERE source = ?1 AND file = ?2";
    of_file_[i] = Stmt(db_, select);
    unseen_[i] = Stmt(db_, select + " AND rkey NOT IN (SELECT rkey FROM temp.seen WHERE kind = ?3)");
    listed_[i] = Stmt(db_, select + " AND rkey IN (SELECT rkey FROM temp.unseen WHERE kind = ?3)");
  }
}

bool LinkChangeLog::tracked() {
  if (known_) return tracked_;
  known_ = true;
  tracked_ = dataset_value(db_, "link_changes") == "tracked";
  noted_ = 0;
  if (!tracked_) return false;
  Stmt count(db_, "SELECT COUNT(*) FROM link_changes");
  noted_ = count.step() ? count.integer(0) : 0;
  return true;
}

void LinkChangeLog::note(const Record& r, const std::string& source) {
  if (!linked(r.kind()) || !tracked()) return;
  note_.reset().bind(1, noted_kind(r.kind())).bind(2, source).bind_text(3, ref_of(r)).run();
  count_one();
}

void LinkChangeLog::note_removal(RecordKind kind, const std::string& source, const std::string& file, Removal which) {
  if (!linked(kind) || !tracked()) return;
  const auto k = static_cast<std::size_t>(kind);
  Stmt& s = which == Removal::whole_file ? of_file_[k] : which == Removal::not_in_seen ? unseen_[k] : listed_[k];
  s.reset().bind(1, source).bind(2, file);
  if (which != Removal::whole_file) s.bind(3, static_cast<std::int64_t>(kind));
  s.run();
  noted_ += db_.changes();
  if (noted_ > kMostNoted) give_up();
}

void LinkChangeLog::count_one() {
  if (db_.changes() > 0 && ++noted_ > kMostNoted) give_up();
}

void LinkChangeLog::give_up() {
  if (!tracked()) return;
  link_changes_untracked(db_);
  tracked_ = false;
}

void link_changes_cleared(Db& db) {
  db.exec("DELETE FROM link_changes");
  db.exec("INSERT OR REPLACE INTO dataset_state(key, value) VALUES ('link_changes', 'tracked')");
}

void link_changes_untracked(Db& db) {
  db.exec("DELETE FROM link_changes");
  db.exec("INSERT OR REPLACE INTO dataset_state(key, value) VALUES ('link_changes', 'untracked')");
}

}  // namespace sendhub::sqlite
