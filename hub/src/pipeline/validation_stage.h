// pipeline/validation_stage.h: a run's validation of the SEN2 return years its store holds.
// A year whose records, council and rules are those of its last validation keeps that
// validation's issues (copied to this run); the others are validated again.
//
// Validation reads only the sources' records, never the links, and no sink reads what it
// finds, so a run starts it before linking (start_beside): on a second connection to the store
// (Store::open_reader) and its own thread, it uses the machine's second core while linking and
// the sinks use the first. What it finds waits in a bounded queue (memory does not grow with
// the issues: past kQueuedIssues they wait in a private temporary file, issue_spill.h) and is
// saved and logged on the run's own connection, in year order, between the stages (save_ready)
// and at the end (finish).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "config/hub_config.h"
#include "pipeline/issue_spill.h"
#include "pipeline/validate_store.h"
#include "store/store.h"

namespace sendhub {

class ValidationStage {
 public:
  // run 0: nothing saved and nothing reused (export's check of a year); only_year 0: all years.
  ValidationStage(const HubConfig& cfg, Store& store, std::int64_t run, int only_year = 0);
  ~ValidationStage();   // stops a validation still running beside
  ValidationStage(const ValidationStage&) = delete;
  ValidationStage& operator=(const ValidationStage&) = delete;

  // Issues waiting in memory to be saved at most (a few MB): past it they wait in a temporary
  // file, and only when that cannot be made does the validation wait for the run.
  static constexpr std::size_t kQueuedIssues = 16384;

  // Starts validating the years that need it on a second connection, on another thread.
  void start_beside(std::size_t queued_issues = kQueuedIssues);
  // Saves what waits, without waiting (the run's connection is free between stages): the
  // unchanged years' issues copied, what the validation beside found so far; an error is kept
  // for finish().
  void save_ready() noexcept;
  // Saves each year's issues with the run and logs a line a year, in year order (validating
  // here what was not started beside); returns what it found. Throws what stopped it.
  StoreValidation finish();
  // From this stage's start to the last year saved and logged (its time beside the others').
  double seconds() const { return std::chrono::duration<double>(ended_ - started_).count(); }
  // How many issues waited in the temporary file, and whether the validation beside has ended
  // (for the run log and tests).
  std::size_t spilled_issues();
  bool ended_beside();

 private:
  struct Year {
    int year = 0;
    std::string mark;   // what its validation depends on ("" for run 0)
    std::optional<std::int64_t> reused_from;   // the run whose issues stand
  };
  // A batch of a year's issues, or (end) the year's counts: none when it has no catalogue.
  struct Batch {
    int year = 0;
    std::vector<Issue> issues;
    bool first = false, end = false;
    std::optional<IssueCounts> counts;
    std::optional<std::size_t> spilled;   // its issues' place in the temporary file
  };

  // Takes the years in order as far as it can: all of them when `wait`, else as far as the
  // validation beside has gone.
  void advance(bool wait);
  void end_year(const Year& y, std::optional<IssueCounts> counts);
  std::optional<IssueCounts> validate_here(int year);
  bool take(Batch& batch, bool wait);
  void stop_worker() noexcept;
  void save(int year, const std::vector<Issue>& issues, bool first);
  void work(Store& reader);
  void hand_over(Batch batch);
  bool spill(Batch& batch);

  const HubConfig& cfg_;
  Store& store_;
  const std::int64_t run_;
  std::vector<Year> years_;
  std::size_t next_ = 0;   // the first year not yet saved and logged
  StoreValidation found_;
  std::exception_ptr failed_;   // what stopped a save_ready()
  std::chrono::steady_clock::time_point started_, ended_;

  std::thread worker_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<Batch> queue_;
  std::size_t queued_issues_ = 0, max_queued_ = kQueuedIssues;
  bool stop_ = false, done_ = false;
  std::exception_ptr error_;
  std::unique_ptr<IssueSpill> spill_;   // made at the first batch past the bound
  std::string no_spill_;                // why it could not be made
};

// The whole stage where it runs: ValidationStage(...).finish().
StoreValidation validate_and_log(const HubConfig& cfg, Store& store, std::int64_t run, int only_year = 0);

}  // namespace sendhub
