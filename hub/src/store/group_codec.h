// store/group_codec.h: a stored group (store.h, before precedence, every return year) as compact
// bytes: what the run's walk keeps in memory or spills (pipeline/dataset_cache.h), and the copy a
// file store keeps of each group between runs (sqlite/sqlite_group_copies.h). A Record as objects
// costs about a kilobyte on the heap (a string object per field, its origin, its keys); as bytes
// about a fifth of that: each text with a varint length, and the texts its records repeat (the
// files and sources they came from, their person and case keys, extra columns' names) once per
// group, in a table at its head, so that any run can read the bytes back without the writer.
#pragma once

#include <string>

#include "store/store.h"

namespace sendhub::group_codec {

std::string encode(const StoredGroup& group);
// Throws Error (rule store.copy) on bytes that end too soon or name a text they do not hold.
StoredGroup decode(const std::string& bytes);

}  // namespace sendhub::group_codec
