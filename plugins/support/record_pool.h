// record_pool.h: Records used again. The parsing thread makes ten-odd Records a Person,
// each with a few heap blocks (its values, field lines, origin file and path); made fresh
// and freed again, that was a third of the thread's time. A group the host is done with
// comes back here; a Record taken is reset by copying a blank one over it, which keeps
// its blocks, unless the host's thread reset it already (host_pipe.h). Used on the parsing
// thread only. It holds what was in flight at once (the pipe's queue) and never more than
// kSpare records of a kind, so memory stays flat also for a reader that takes fewer than it
// gives back.
#pragma once

#include <array>
#include <vector>

#include "sendhub/records.h"

namespace plugin_support {

// A blank record of each kind, made once: copying one over a used record resets it and
// keeps its strings' and vectors' blocks.
class BlankRecords {
 public:
  const sendhub::Record& of(sendhub::RecordKind kind) {
    auto& b = blank_[static_cast<std::size_t>(kind)];
    if (b.empty()) b.emplace_back(kind);
    return b.front();
  }
  void reset(sendhub::Record& r) { r = of(r.kind()); }

 private:
  std::array<std::vector<sendhub::Record>, sendhub::kKinds.size()> blank_;
};

class RecordPool {
 public:
  // A blank record of the kind, added to the group.
  sendhub::Record& add(std::vector<sendhub::Record>& group, sendhub::RecordKind kind) {
    if (auto& ready = reset_[slot(kind)]; !ready.empty()) {   // reset already, by the host's thread
      sendhub::Record& r = group.emplace_back(std::move(ready.back()));
      ready.pop_back();
      return r;
    }
    auto& spare = spare_[slot(kind)];
    if (spare.empty()) return group.emplace_back(kind);
    sendhub::Record& r = group.emplace_back(std::move(spare.back()));
    spare.pop_back();
    blanks_.reset(r);   // copy-assignment reuses r's strings and vectors
    return r;
  }
  static constexpr std::size_t kSpare = 4096;

  // Takes the group's records back (past kSpare of a kind, they are freed); the group is
  // left empty, keeping its capacity. `reset`: each record is blank already.
  void give_back(std::vector<sendhub::Record>& group, bool reset = false) {
    for (auto& r : group) {
      const std::size_t k = slot(r.kind());
      if (spare_[k].size() + reset_[k].size() < kSpare) (reset ? reset_ : spare_)[k].push_back(std::move(r));
    }
    group.clear();
  }

 private:
  static std::size_t slot(sendhub::RecordKind kind) { return static_cast<std::size_t>(kind); }

  std::array<std::vector<sendhub::Record>, sendhub::kKinds.size()> spare_, reset_;
  BlankRecords blanks_;
};

}  // namespace plugin_support
