// pipeline/issue_spill.h: the issues a validation beside the run finds past what its queue holds
// in memory (validation_stage.h), waiting in a private temporary file (walk_spill.h: 0600,
// unlinked at once) until the run saves them. The validation then never waits for the run,
// whose connection is free only between stages (the 1,000,000-child 2024 return alone gives
// 34,079 issues, twice the queue), and memory stays flat however many a return has.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "pipeline/walk_spill.h"
#include "rules/validator.h"

namespace sendhub {

class IssueSpill {
 public:
  IssueSpill() : file_("the validation's issues") {}   // throws Error (rule io) as WalkSpill does
  // Appends a batch; returns its place.
  std::size_t add(const std::vector<Issue>& issues);
  // The batch at `place`, as it was added.
  std::vector<Issue> read(std::size_t place);
  std::size_t issues() const { return issues_; }   // added in all

 private:
  WalkSpill file_;
  std::string bytes_;   // a batch encoded, or read back
  std::size_t issues_ = 0;
};

}  // namespace sendhub
