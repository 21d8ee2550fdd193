// host_pipe.h: a source connector's reading on both cores (the SEN2 reader, the CSV reader).
// Parsing runs on a second thread and queues what it has for the host (groups to write or
// quarantine, queries, unmapped values); the thread that called the connector makes those
// calls, in file order, while the next groups are parsed. The host's store is only ever
// reached from its own thread. The queue is bounded (a few hundred groups), so memory stays
// flat; checks that need the host's answers are made through sync() while parsing waits.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "record_pool.h"
#include "sendhub/plugin.h"

namespace plugin_support {

class HostPipe {
 public:
  explicit HostPipe(sendhub::SourceContext& ctx) : ctx_(ctx) {}

  // Runs produce(*this) on a second thread and makes the calls it queues here. What
  // produce throws is rethrown here after the calls queued before it were made; what a
  // host call throws stops produce and is rethrown.
  void run(const std::function<void(HostPipe&)>& produce);

  // From produce(): queued, in order. The group and raw are swapped out (left empty).
  void write(std::vector<sendhub::Record>& group, std::string& raw);
  void quarantine(std::vector<sendhub::Record>& group, const sendhub::Error& why, std::string& raw);
  void query(const sendhub::Error& what);
  void stray(const sendhub::Error& why);
  void unmapped(std::string_view field, std::string_view value);
  // From produce(): made on the host's thread after everything queued before it, while
  // produce waits; rethrows what it threw.
  void sync(const std::function<void()>& call);
  // Where produce() takes its records: the groups the host is done with come back to it.
  RecordPool& pool() { return pool_; }
  // After run(): how many calls' records the host's thread reset (for tests).
  std::size_t host_reset_calls() const { return host_reset_calls_; }

 private:
  struct Call {
    enum class Kind { write, quarantine_group, query, stray, unmapped, sync } kind;
    std::vector<sendhub::Record> records;
    std::optional<sendhub::Error> error;
    std::string raw;
    std::string field;   // unmapped: the field (raw holds the value)
    const std::function<void()>* function = nullptr;
    std::exception_ptr* thrown = nullptr;
    bool reset = false;  // its records were reset by the host's thread
  };
  struct Stopped {};   // thrown in produce when the host side failed

  Call& next(Call::Kind kind);           // the batch's next call, reusing a spent one
  void flush();                          // the batch so far, to the host side
  void reuse(std::deque<std::vector<Call>>& spent);
  void reset_while_idle(std::vector<Call>& batch);
  bool take(std::vector<Call>& batch);   // false when produce has ended and all is made
  void make(Call& call);

  sendhub::SourceContext& ctx_;
  // produce's side: the batch being filled (its first used_ calls) and spent ones.
  std::vector<Call> batch_;
  std::size_t used_ = 0;
  std::vector<std::vector<Call>> free_;
  RecordPool pool_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::vector<Call>> queued_;
  std::atomic<std::size_t> queued_count_ = 0;   // queued_.size(), read without the lock
  std::deque<std::vector<Call>> spent_;  // made, to be reused by the parsing thread
  BlankRecords host_blanks_;  // the host's thread's own
  std::size_t host_reset_calls_ = 0;
  bool ended_ = false, stopped_ = false;
  bool synced_ = false;
};

}  // namespace plugin_support
