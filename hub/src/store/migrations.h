// store/migrations.h: schemas/sql/NNN_name.sql files applied in number order, each in its
// own transaction, recorded in schema_migrations. A store newer than this build is refused.
#pragma once

#include <map>
#include <string>

#include "store/sqlite/sqlite_db.h"

namespace sendhub {

void migrate(sqlite::Db& db, const std::string& sql_dir);

// The NNN_name.sql files of a folder, by number (throws when there is none).
std::map<int, std::string> migration_files(const std::string& dir);
// A file's whole text.
std::string read_migration(const std::string& path);

}  // namespace sendhub
