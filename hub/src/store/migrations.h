// store/migrations.h: schemas/sql/NNN_name.sql files applied in number order, each in its
// own transaction, recorded in schema_migrations. A store newer than this build is refused.
#pragma once

#include <string>

#include "store/sqlite_db.h"

namespace sendhub {

void migrate(sqlite::Db& db, const std::string& sql_dir);

}  // namespace sendhub
