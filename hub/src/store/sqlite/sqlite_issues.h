// store/sqlite_issues.h: validation issues in the store (migration 002), saved in batches
// and carried over from an earlier run for a return year that did not change.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "store/sqlite/sqlite_db.h"
#include "store/store.h"

namespace sendhub::sqlite {

void save_issues(Db& db, std::int64_t run, int year, const std::vector<Store::IssueRow>& issues, bool replace);
std::pair<std::int64_t, std::int64_t> copy_issues(Db& db, std::int64_t from_run, std::int64_t run, int year);

}  // namespace sendhub::sqlite
