// store/group_codec.h: a group as sinks see it (merged by precedence, with its records of every
// return year) as compact bytes: what the run's walk keeps in memory or spills
// (pipeline/dataset_cache.h), and the copy a file store keeps of each group between runs
// (sqlite/sqlite_group_copies.h; store.h, CopyMaker). A Record as objects
// costs about a kilobyte on the heap (a string object per field, its origin, its keys); as bytes
// about a fifth of that: each text with a varint length, and the texts its records repeat (the
// files and sources they came from, their person and case keys, extra columns' names) once per
// group, in a table at its head, so that any run can read the bytes back without the writer.
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "store/store.h"

namespace sendhub::group_codec {

// A group as sinks see it, merged by precedence (PersonGroup::records), with every record it
// can give as a loaded return (`loadable`: the stored group's records of a return year, in its
// order): what the run's walk cache keeps, and a file store between runs, so that a later walk
// neither merges nor reads the sources' other records again. `group.loaded` is not written (it
// is among `loadable`).
std::string encode_merged(const PersonGroup& group, const std::vector<const Record*>& loadable);
// The merged group (PersonGroup::loaded empty), and into `loadable`, unless it is null (most
// sinks ask for no loaded return: the bytes are then not read that far), the loadable records
// in their order. Throws Error (rule store.copy) on bytes that end too soon, go on past the
// group, or name a text or kind they do not hold.
PersonGroup decode_merged(std::string_view bytes, std::vector<Record>* loadable);

// What one walk decodes group after group with. A record's keys, file, element path and source
// are mostly longer than the 15 characters a string holds without the heap: decoded afresh,
// every record asked the heap for five strings and gave them back after its visit (a tenth of
// a night's samples at 100,000 children went to malloc and free). take_back() keeps the last
// group's strings, buffers and all, and the next decode fills them again.
class Buffers {
 public:
  // What a kept string held: buffers are kept apart by it, so each settles at its own length.
  enum Role : std::size_t { kFile, kPath, kSource, kPersonKey, kCaseKey, kRoles };
  // Empties `records`, keeping their strings' buffers (and the vector's room) for the next decode.
  void take_back(std::vector<Record>& records);
  // One of the kept buffers of `role`, or a new string.
  std::string spare(Role role);
  std::vector<std::string_view>& texts() { return texts_; }
  std::vector<std::string_view>& values() { return values_; }

 private:
  std::array<std::vector<std::string>, kRoles> spare_;
  std::vector<std::string_view> texts_;   // the group's table of texts
  std::vector<std::string_view> values_;  // a record's fields, read before they are kept
};

// The same into `into` (its records and loaded emptied first, their buffers taken back): a walk
// decodes every group into the one before's (a night's first walk at 100,000 children spent a
// fifth of its time in malloc and free). `years`, unless null: only the loadable records of
// these return years are decoded into `loadable` (which may be `&into.loaded`), the others read
// past (checked all the same).
void decode_merged(std::string_view bytes, PersonGroup& into, std::vector<Record>* loadable, Buffers& buffers,
                   const std::vector<int>* years = nullptr);

}  // namespace sendhub::group_codec
