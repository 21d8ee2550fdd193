// store/sqlite_measures.h: KPI snapshots in the store (migration 008).
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "sendhub/plugin.h"
#include "store/sqlite/sqlite_db.h"

namespace sendhub::sqlite {

void keep_measures(Db& db, const std::string& sink, std::int64_t run, const std::vector<MeasureRow>& rows);
// sink "" = every sink's.
std::vector<std::pair<std::string, MeasureRow>> measure_history(Db& db, const std::string& sink);
std::map<std::string, std::int64_t> data_quality(Db& db);

}  // namespace sendhub::sqlite
