// store/sqlite_dataset.h: the dataset read in groups, in bounded memory. Linking leaves a
// membership index (migration 007: which group and case each record's reference belongs
// to); the readers below walk it with one indexed join per record kind, all cursors in the
// same group order, and hand over one group at a time (a merge join, as a database would).
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "store/record_rows.h"
#include "store/sqlite/sqlite_db.h"
#include "store/sqlite/sqlite_group_order.h"   // order_groups: each walk's order
#include "store/store.h"

namespace sendhub::sqlite {

using store::hangs_from_person;
using store::hangs_from_request;
using store::read_record;
using store::Extras;
using store::record_columns;
using store::ref_column;

// Which records that hang from a request have a row of dataset_member (dataset_state
// "member_children", written by each linking). Since 0.12.37 only those a walk cannot reach
// through their own source's request row: a child whose request is in another source
// (link.request_sources) or found only as the one case anywhere with its reference. Those rows
// were 48,000 of a council's 60,000, and building and indexing them a third of its linking. A
// store linked by an earlier build has a row for every child (no value) until it is linked again.
struct MemberChildren {
  bool through_requests = true;
  std::vector<std::string> owned_elsewhere;   // sources whose children hang from another's requests

  static MemberChildren of(const std::map<std::string, std::string>& request_sources);
  static MemberChildren of(Db& db);   // as the last linking left the store
  void save(Db& db) const;
};

class LinkScope;
// Rebuilds dataset_member from the links (call inside the transaction that saved them):
// the whole index, or the rows of what a narrowed linking linked again.
void index_dataset(Db& db, const std::map<std::string, std::string>& request_sources, LinkScope* scope = nullptr);

// Whether `rows` rows of dataset_member would outgrow the page cache of `into`'s database
// (dataset_member, or temp.member_new): index_dataset then sorts the request rows it writes.
bool outgrows_cache(Db& db, const std::string& into, std::int64_t rows);

// A value of dataset_state (migration 004): the data and linked versions, the marks that let
// unchanged work be skipped, whether changes are noted; "" when the key is not there.
std::string dataset_value(Db& db, std::string_view key);

// The groups an order table (pos, grp) lists, in its order, read from the record tables.
void walk_groups(Db& db, const std::string& order_table, const std::function<void(StoredGroup&)>& visit);
// Every group in order, from the record tables, in a read transaction (no copies: see
// sqlite_group_copies.h for the walk that keeps them).
void each_group_from_tables(Db& db, int order_year, const std::function<void(StoredGroup&)>& visit);
void each_group_key(Db& db, int order_year, const std::function<void(const std::string&)>& visit);
// How a walk reaches a kind's records from each group: through rows of their own (every kind
// but a request's children, and those in a store linked before 0.12.37), through their
// requests' rows, or both (some children have rows of their own: MemberChildren).
enum class Reach { own_rows, requests, both };
// The statement each_group steps for one kind (for the test that keeps it free of sorts);
// `owned_elsewhere`: MemberChildren's, whose requests' rows reach no child.
std::string group_cursor_sql(RecordKind kind, const std::string& order_table = "temp.dataset_order",
                             Reach reach = Reach::own_rows, const std::vector<std::string>& owned_elsewhere = {});

// The records of one return year, one person at a time (the person, then each of its
// requests' records), persons by source and person_ref.
void each_return_person(Db& db, int year, const std::function<void(std::vector<Record>&)>& visit);

}  // namespace sendhub::sqlite
