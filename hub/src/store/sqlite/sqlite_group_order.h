// store/sqlite/sqlite_group_order.h: the order a walk gives the groups in, kept between runs
// (migration 017, issue 30). Worked out afresh, a walk's order was a scan of the whole dataset
// index and a sort before its first group (0.3-0.6 s at 100,000 children, a night's walks too).
// The order is kept beside the groups' copies (sqlite_group_copies.h) and is true while they are:
// the same linking that deletes a changed group's copy notes the group in group_order_touched,
// and the next walk that may write gives it its place again; a linking of everything deletes the
// order with the copies.
#pragma once

#include <string>

#include "store/sqlite/sqlite_db.h"

namespace sendhub::sqlite {

// Fills temp.<table>(pos, grp) with every group in each_group's order for order_year: the
// persons that year's loaded return reported first, by the line of their first request there,
// then every other group by key (order_year <= 0: every group by key). From the kept order when
// it stands (the copies describe the links), no group awaits its place again, and the year's
// order is kept; else worked out from the dataset index. `keep` (the caller holds the run lock,
// inside its write transaction): the touched groups are given their places again first, and a
// year not kept yet is kept.
void order_groups(Db& db, int order_year, const std::string& table = "dataset_order", bool keep = false);

// The order a walk on `from` has just worked out afresh for order_year (its temp.<table>), kept
// through `into` (a first walk's copies connection, inside its write transaction) unless that
// year's is kept already: read back from the walk's own table, not worked out again.
void keep_order_of(Db& from, Db& into, int order_year, const std::string& table = "dataset_order");

// Notes that the groups a subquery names (`SELECT grp FROM ...`) may have changed: their places
// are worked out again by the next walk that keeps the order.
void touch_groups(Db& db, const std::string& groups);
// Deletes the kept order and what awaits its place again (a linking of everything).
void drop_order(Db& db);

}  // namespace sendhub::sqlite
