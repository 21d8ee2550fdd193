#include "store/sqlite/sqlite_inputs.h"

namespace sendhub::sqlite {

void note_input(Db& db, const std::string& source, const InputFile& in, std::int64_t run) {
  // last_run and archived move only with the file's bytes; the stat with every look.
  Stmt s(db, "INSERT INTO source_files(source, file, sha256, size, archived, first_run, last_run, stat) "
             "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6, ?7) ON CONFLICT(source, file) DO UPDATE SET "
             "stat = excluded.stat, archived = CASE WHEN source_files.sha256 <> excluded.sha256 "
             "THEN excluded.archived ELSE source_files.archived END, last_run = CASE WHEN "
             "source_files.sha256 <> excluded.sha256 THEN excluded.last_run ELSE source_files.last_run END, "
             "sha256 = excluded.sha256, size = excluded.size");
  s.bind(1, source).bind(2, in.file).bind(3, in.sha256).bind(4, in.size).bind(5, in.archived)
      .bind(6, run).bind(7, in.stat).run();   // an empty stat binds NULL
  if (in.archived.empty()) return;
  Stmt m(db, "INSERT OR IGNORE INTO archive_manifest(path, sha256) VALUES (?1, ?2)");
  m.bind(1, in.archived).bind(2, in.sha256).run();
}

std::optional<InputFile> known_input(Db& db, const std::string& source, const std::string& file,
                                     const std::string& stat) {
  Stmt s(db, "SELECT sha256, size, COALESCE(archived, '') FROM source_files "
             "WHERE source = ?1 AND file = ?2 AND stat = ?3");
  s.bind(1, source).bind(2, file).bind(3, stat);
  if (stat.empty() || !s.step()) return std::nullopt;
  return InputFile{file, s.text(0), s.text(2), s.integer(1), stat};
}

std::string read_mark(Db& db, const std::string& source, const std::string& file) {
  Stmt s(db, "SELECT complete_sha256 FROM source_files WHERE source = ?1 AND file = ?2");
  s.bind(1, source).bind(2, file);
  return s.step() ? s.text(0) : "";
}

void set_read_mark(Db& db, const std::string& source, const std::string& file, const std::string& mark) {
  Stmt s(db, "UPDATE source_files SET complete_sha256 = ?3 WHERE source = ?1 AND file = ?2");
  s.bind(1, source).bind(2, file).bind(3, mark).run();
}

std::vector<std::string> archived_files(Db& db) {
  Stmt s(db, "SELECT path FROM archive_manifest ORDER BY path");
  std::vector<std::string> out;
  while (s.step()) out.push_back(s.text(0));
  return out;
}

void forget_archived(Db& db, const std::string& path) {
  Stmt s(db, "DELETE FROM archive_manifest WHERE path = ?1");
  s.bind(1, path).run();
}

}  // namespace sendhub::sqlite
