// pipeline/walk_spill.h: the run's walk of the dataset past the memory budget (issue 30.2).
// The groups the first sink's walk keeps as bytes go, once they pass the budget, to a private
// temporary file: created 0600 in the temporary folder (TMPDIR) and unlinked at once, so
// nothing of it outlives the run, even a killed one. Later sinks read it back sequentially or
// by offset, which costs a fraction of walking the store again (eight indexed joins a group,
// each a random read once the store outgrows its page cache). Memory: 8 bytes a group.
// The validation beside the run keeps its issues past its queue's bound in one as well
// (issue_spill.h): any bytes appended in order and read back by place.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sendhub {

class WalkSpill {
 public:
  // `what` names what spills, in messages. Throws Error (rule io) when the file cannot be made.
  explicit WalkSpill(std::string what = "the dataset walk");
  ~WalkSpill();
  WalkSpill(const WalkSpill&) = delete;
  WalkSpill& operator=(const WalkSpill&) = delete;

  // Appends one group's bytes (buffered); throws Error (rule io) when the disk refuses them.
  void add(std::string_view bytes);
  // Writes what is buffered: call once the walk is whole, before reading.
  void flush();
  // The i-th group's bytes, read into buffer (which is returned).
  const std::string& read(std::size_t i, std::string& buffer) const;
  std::size_t size() const { return offsets_.size() - 1; }
  std::uint64_t bytes() const { return offsets_.back(); }

 private:
  [[noreturn]] void fail(const char* what) const;
  int fd_ = -1;
  std::string what_;
  std::string path_;      // for messages only: the file is unlinked at once
  std::string pending_;   // not yet written
  std::uint64_t written_ = 0;
  std::vector<std::uint64_t> offsets_{0};   // where each group starts, and where the last ends
};

}  // namespace sendhub
