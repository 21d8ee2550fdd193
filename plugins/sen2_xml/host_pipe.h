// host_pipe.h: the SEN2 reader on both cores. Parsing runs on a second thread and queues
// what it has for the host (groups to write or quarantine, queries); the thread that
// called the connector makes those calls, in file order, while the next Persons are
// parsed. The host is only ever called from its own thread. The queue is bounded (a few
// hundred Persons), so memory stays flat; the header's checks, which need the host's
// answers, are made through sync() while parsing waits.
#pragma once

#include <condition_variable>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "record_pool.h"
#include "sendhub/plugin.h"

namespace sen2 {

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
  // From produce(): made on the host's thread after everything queued before it, while
  // produce waits; rethrows what it threw.
  void sync(const std::function<void()>& call);
  // Where produce() takes its records: the groups the host is done with come back to it.
  RecordPool& pool() { return pool_; }

 private:
  struct Call {
    enum class Kind { write, quarantine_group, query, stray, sync } kind;
    std::vector<sendhub::Record> records;
    std::optional<sendhub::Error> error;
    std::string raw;
    const std::function<void()>* function = nullptr;
    std::exception_ptr* thrown = nullptr;
  };
  struct Stopped {};   // thrown in produce when the host side failed

  Call& next(Call::Kind kind);           // the batch's next call, reusing a spent one
  void flush();                          // the batch so far, to the host side
  void reuse(std::deque<std::vector<Call>>& spent);
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
  std::deque<std::vector<Call>> spent_;  // made, to be freed by the parsing thread
  bool ended_ = false, stopped_ = false;
  bool synced_ = false;
};

}  // namespace sen2
