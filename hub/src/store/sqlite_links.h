// store/sqlite_links.h: the links in the store (migration 003): saved in one transaction,
// writing only rows that differ, with the dataset index rebuilt from them; and read back.
#pragma once

#include <map>
#include <string>

#include "store/link_types.h"
#include "store/sqlite_db.h"

namespace sendhub::sqlite {

std::int64_t save_links(Db& db, const LinkSet& links, std::int64_t data_version,
                        const std::map<std::string, std::string>& request_sources);
LinkSet read_links(Db& db);

}  // namespace sendhub::sqlite
