#include "store/migrations.h"

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>

#include "sendhub/error.h"

namespace sendhub {
namespace fs = std::filesystem;

std::map<int, std::string> migration_files(const std::string& dir) {
  std::map<int, std::string> files;
  static const std::regex kName(R"((\d{3})_[a-z0-9_]+\.sql)");
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    std::smatch m;
    std::string name = e.path().filename().string();
    if (std::regex_match(name, m, kName)) files[std::stoi(m[1])] = e.path().string();
  }
  if (files.empty())
    throw Error(Where{dir, 0, ""}, "schemas_dir", "store", "no schema migrations found");
  return files;
}

std::string read_migration(const std::string& path) {
  std::ifstream in(path);
  std::stringstream sql;
  sql << in.rdbuf();
  return sql.str();
}

namespace {

// Read and finished before any migration runs: an open statement would keep a table locked
// against DROP TABLE.
int schema_version(sqlite::Db& db) {
  {
    sqlite::Stmt table(db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'");
    if (!table.step()) return 0;
  }
  sqlite::Stmt current(db, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
  current.step();
  return static_cast<int>(current.integer(0));
}

}  // namespace

// Every pending migration in one transaction: a store is at one version or the next, never
// between (a failed upgrade leaves it as it was), and a new store syncs once, not once a
// migration (16 of them were a tenth of a council's first run on a slow disk). A store already
// at this version is only read: a command opening it while a run writes is not held up.
void migrate(sqlite::Db& db, const std::string& sql_dir) {
  const auto files = migration_files(sql_dir);
  const int latest = files.rbegin()->first;
  auto pending = [&](int have) {
    if (have > latest)
      throw Error(Where{db.path(), 0, ""}, "", "store",
                  "the store has schema version " + std::to_string(have) +
                      ", newer than this sendhub knows; use a newer sendhub");
    return have < latest;
  };
  if (!pending(schema_version(db))) return;
  sqlite::in_transaction(db, [&] {
    db.exec("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
            "name TEXT NOT NULL, applied TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP)");
    const int have = schema_version(db);   // again under the lock: another process may have migrated
    if (!pending(have)) return;
    for (const auto& [version, path] : files) {
      if (version <= have) continue;
      db.exec(read_migration(path));
      sqlite::Stmt note(db, "INSERT INTO schema_migrations(version, name) VALUES (?1, ?2)");
      note.bind(1, static_cast<std::int64_t>(version)).bind(2, fs::path(path).filename().string()).run();
    }
  });
}

}  // namespace sendhub
