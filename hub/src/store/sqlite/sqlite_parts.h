// store/sqlite/sqlite_parts.h: a sink's work on each group kept between runs (migration 015,
// issue 30.5; SinkContext::each_person_part). A part is what a sink derived from one group, as
// bytes only the sink reads; it lives beside the group's copy (sqlite_group_copies.h) and is
// deleted with it by the linking that changes the group, so a walk derives again only the
// groups that changed since. A sink's parts are kept under a mark (its configuration and what
// else its derivation reads); another mark deletes them all.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/sqlite/sqlite_db.h"
#include "store/store.h"

namespace sendhub::sqlite {

// How a group without a part gets one: from the caller, who may hold the group already (the
// run's walk cache: nullopt when it does not), else from the group's copy (store.h), kept or
// made here by `copies`.
struct Derive {
  const CopyMaker& copies;
  std::function<std::optional<std::string>(const std::string& key)> held;
  std::function<std::string(std::string_view copy)> read;
};

// The parts of `sink` in each_group's order for order_year, given to `use`: first every group
// without a part under `mark` gets one (Derive; a group read here comes from its copy, else its
// copy is made from the record tables) and it is kept; all in one write transaction (the caller
// holds the run lock). False, having done nothing, when the links do not describe the data or
// the copies do not describe the links: the caller derives every group. Copies made under
// another mark than derive.copies' are deleted first, and every sink's parts with them.
bool each_part(Db& db, const std::string& sink, const std::string& mark, int order_year, const Derive& derive,
               const std::function<void(std::string_view)>& use);

// Deletes the sink's parts and its mark (parts that proved damaged).
void drop_parts(Db& db, const std::string& sink);

// Deletes the parts of every sink that keeps some and is not in `sinks`; returns their names.
std::vector<std::string> prune_parts(Db& db, const std::vector<std::string>& sinks);

// How many parts `sink` keeps (tests and the run log).
std::int64_t sink_parts(Db& db, const std::string& sink);

}  // namespace sendhub::sqlite
