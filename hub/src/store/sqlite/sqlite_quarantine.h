// store/sqlite/sqlite_quarantine.h: the quarantine table of a file store (what sources could not
// store, with the reason and the raw text): a record put there, an unchanged file's records
// carried into the run that skips reading it (Store::carry_quarantine), and retention.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "sendhub/error.h"
#include "store/sqlite/sqlite_db.h"

namespace sendhub::sqlite {

void quarantine(Db& db, std::int64_t run, const std::string& source, const Error& why, std::string_view raw);
bool carry_quarantine(Db& db, const std::string& source, const std::vector<std::string>& files, std::int64_t from_run,
                      std::int64_t to_run, std::int64_t expected, const std::function<void(const Error&)>& visit);
std::int64_t prune_quarantine(Db& db, int days);

}  // namespace sendhub::sqlite
