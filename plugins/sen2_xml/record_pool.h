// record_pool.h: Records used again. The parsing thread makes ten-odd Records a Person,
// each with a few heap blocks (its values, field lines, origin file and path); made fresh
// and freed again, that was a third of the thread's time. A group the host is done with
// comes back here; a Record taken is reset by copying a blank one over it, which keeps
// its blocks. Used on the parsing thread only. It holds at most what was in flight at
// once (the pipe's queue), so memory stays flat.
#pragma once

#include <array>
#include <vector>

#include "sendhub/records.h"

namespace sen2 {

class RecordPool {
 public:
  // A blank record of the kind, added to the group.
  sendhub::Record& add(std::vector<sendhub::Record>& group, sendhub::RecordKind kind) {
    auto& spare = spare_[slot(kind)];
    if (spare.empty()) return group.emplace_back(kind);
    sendhub::Record& r = group.emplace_back(std::move(spare.back()));
    spare.pop_back();
    r = blank(kind);   // copy-assignment reuses r's strings and vectors
    return r;
  }
  // Takes the group's records back; the group is left empty, keeping its capacity.
  void give_back(std::vector<sendhub::Record>& group) {
    for (auto& r : group) spare_[slot(r.kind())].push_back(std::move(r));
    group.clear();
  }

 private:
  static std::size_t slot(sendhub::RecordKind kind) { return static_cast<std::size_t>(kind); }
  const sendhub::Record& blank(sendhub::RecordKind kind) {
    auto& b = blank_[slot(kind)];
    if (b.empty()) b.emplace_back(kind);
    return b.front();
  }

  std::array<std::vector<sendhub::Record>, sendhub::kKinds.size()> spare_, blank_;
};

}  // namespace sen2
