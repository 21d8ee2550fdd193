// store/sqlite_link_scratch.h: linking's working rows in temporary tables of the store's
// connection, and the new links staged beside the old ones, all in one write transaction
// that save() commits (store/link_scratch.h).
#pragma once

#include <map>
#include <memory>
#include <string>

#include "store/link_scratch.h"
#include "store/sqlite/sqlite_db.h"

namespace sendhub::sqlite {

// person_sources: link.person_sources (the source whose person_refs another source names).
std::unique_ptr<LinkScratch> open_link_scratch(Db& db, const std::map<std::string, std::string>& person_sources);

}  // namespace sendhub::sqlite
