// store/sqlite_links.h: the links in the store (migration 003): saved in one transaction,
// writing only rows that differ, with the dataset index rebuilt from them; and read back.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "store/link_types.h"
#include "store/record_rows.h"
#include "store/store.h"
#include "store/sqlite/sqlite_db.h"

namespace sendhub::sqlite {

using store::link_columns;
class LinkScope;
// After the link tables changed (`changed` rows): the dataset index rebuilt (the scope's
// rows, when linking was narrowed to one), and the links marked as describing data_version.
// Inside the links' transaction.
void finish_links(Db& db, std::int64_t changed, std::int64_t data_version,
                  const std::map<std::string, std::string>& request_sources, LinkScope* scope = nullptr);

std::int64_t save_links(Db& db, const LinkSet& links, std::int64_t data_version,
                        const std::map<std::string, std::string>& request_sources);
// Every link, or (person_key) one person's.
LinkSet read_links(Db& db, const std::string& person_key = "");
// The person and advice records linked to a person.
std::vector<Record> linked_records_of(Db& db, const std::string& person_key);
std::int64_t linked_records(Db& db);
std::map<std::string, Store::UnlinkedRequests> unlinked_requests(Db& db);

}  // namespace sendhub::sqlite
