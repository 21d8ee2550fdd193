#include "pipeline/validation_stage.h"

#include <algorithm>

#include "pipeline/fingerprint.h"
#include "pipeline/log.h"

namespace sendhub {
namespace {

// Thrown inside the worker to leave a validation that is no longer wanted.
struct Stopped {};

// What a year's validation depends on: its records (the version at which they last
// changed), the council and the rules (this build and schemas/).
std::string validation_mark(Store& store, const HubConfig& cfg, int year, const std::string& build) {
  const std::string key = "year_version." + std::to_string(year);
  if (store.year_version(year).empty())  // a store from before versions per year: from now
    store.set_dataset_value(key, std::to_string(store.link_state().data_version));
  return store.year_version(year) + " " + cfg.la_code + " " + build;
}

void log_year(int year, const IssueCounts& c, std::int64_t run) {
  log_line(c.errors ? LogLevel::warning : LogLevel::info, "validation",
           "the " + std::to_string(year) + " return: " + std::to_string(c.errors) + " errors, " +
               std::to_string(c.queries) + " queries" +
               (run > 0 && c.errors + c.queries > 0 ? " (store table validation_issues, run " + std::to_string(run) + ")" : ""));
}

// A year's counts from validate_store's answer: none when the year has no catalogue.
std::optional<IssueCounts> counts_of(const StoreValidation& one, int year) {
  auto it = one.years.find(year);
  return it == one.years.end() ? std::nullopt : std::optional<IssueCounts>(it->second);
}

}  // namespace

ValidationStage::ValidationStage(const HubConfig& cfg, Store& store, std::int64_t run, int only_year)
    : cfg_(cfg), store_(store), run_(run), started_(std::chrono::steady_clock::now()), ended_(started_) {
  const std::string build = run > 0 ? build_and_schemas_mark(cfg.schemas_dir) : "";
  for (int year : store.return_years()) {
    if (only_year && year != only_year) continue;
    Year y{year, run > 0 ? validation_mark(store, cfg, year, build) : "", std::nullopt};
    const std::string last = run > 0 ? store.dataset_value("validated." + std::to_string(year)) : "";
    if (!y.mark.empty() && last.rfind(y.mark + " run ", 0) == 0) y.reused_from = std::stoll(last.substr(y.mark.size() + 5));
    years_.push_back(std::move(y));
  }
}

ValidationStage::~ValidationStage() { stop_worker(); }

void ValidationStage::stop_worker() noexcept {
  if (!worker_.joinable()) return;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  changed_.notify_all();
  worker_.join();
}

void ValidationStage::start_beside(std::size_t queued_issues) {
  bool any = false;
  for (const auto& y : years_) any = any || !y.reused_from;
  if (!any || worker_.joinable()) return;
  max_queued_ = std::max<std::size_t>(queued_issues, 1);
  // Opened here: a pool's connection is made before linking begins. Closed by the worker as it
  // ends, so that its page cache is not held through the sinks.
  worker_ = std::thread([this, reader = store_.open_reader()]() mutable {
    work(*reader);
    reader.reset();
    std::lock_guard<std::mutex> lock(mutex_);
    done_ = true;
    changed_.notify_all();
  });
}

void ValidationStage::save_ready() noexcept {
  if (failed_) return;
  try {
    advance(false);
  } catch (...) {
    failed_ = std::current_exception();
    stop_worker();
  }
}

StoreValidation ValidationStage::finish() {
  if (failed_) std::rethrow_exception(failed_);
  advance(true);
  if (worker_.joinable()) worker_.join();
  if (const std::size_t spilled = spilled_issues())
    log_line(LogLevel::debug, "validation", std::to_string(spilled) + " issues waited in a temporary file for the run to save them");
  if (!no_spill_.empty())
    log_line(LogLevel::warning, "validation", "waited for the run to save what it found (" + no_spill_ + ")");
  return found_;
}

std::size_t ValidationStage::spilled_issues() {
  const std::lock_guard<std::mutex> lock(mutex_);
  return spill_ ? spill_->issues() : 0;
}

bool ValidationStage::ended_beside() {
  const std::lock_guard<std::mutex> lock(mutex_);
  return done_;
}

void ValidationStage::advance(bool wait) {
  while (next_ < years_.size()) {
    const Year& y = years_[next_];
    if (y.reused_from) {  // unchanged: the last issues stand
      const auto [errors, queries] = store_.copy_issues(*y.reused_from, run_, y.year);
      found_.years[y.year] = {errors, queries, true};
      log_line(LogLevel::info, "validation", "the " + std::to_string(y.year) + " return has not changed since it was "
                                             "last validated: " + std::to_string(errors) + " errors, " +
                                             std::to_string(queries) + " queries (reused)");
      if (++next_ == years_.size()) ended_ = std::chrono::steady_clock::now();
    } else if (!worker_.joinable()) {
      if (!wait) return;
      end_year(y, validate_here(y.year));
    } else {
      Batch batch;
      if (!take(batch, wait)) return;
      if (batch.end) end_year(y, batch.counts);
      else save(batch.year, batch.issues, batch.first);
    }
  }
}

void ValidationStage::end_year(const Year& y, std::optional<IssueCounts> counts) {
  if (counts) {   // else the year has no catalogue
    found_.years[y.year] = *counts;
    log_year(y.year, *counts, run_);
    if (run_ > 0) store_.set_dataset_value("validated." + std::to_string(y.year), y.mark + " run " + std::to_string(run_));
  }
  if (++next_ == years_.size()) ended_ = std::chrono::steady_clock::now();
}

std::optional<IssueCounts> ValidationStage::validate_here(int year) {
  return counts_of(validate_store(store_, cfg_.schemas_dir, cfg_.la_code, year,
                                  [&](int y, const std::vector<Issue>& batch, bool first) { save(y, batch, first); }),
                   year);
}

// The worker's next batch: false when none waits and `wait` is false.
bool ValidationStage::take(Batch& batch, bool wait) {
  {
    std::unique_lock<std::mutex> lock(mutex_);
    if (wait) changed_.wait(lock, [&] { return !queue_.empty() || done_; });
    if (queue_.empty()) {
      if (!done_) return false;
      // The worker ended before this year's end: what stopped it.
      if (error_) std::rethrow_exception(error_);
      throw Error(Where{}, "", "validation", "the validation beside the run ended before the " +
                                                 std::to_string(years_[next_].year) + " return");
    }
    batch = std::move(queue_.front());
    queue_.pop_front();
    queued_issues_ -= batch.issues.size();
    if (batch.spilled) batch.issues = spill_->read(*batch.spilled);
  }
  changed_.notify_all();
  return true;
}

void ValidationStage::save(int year, const std::vector<Issue>& issues, bool first) {
  if (run_ <= 0) return;
  std::vector<Store::IssueRow> rows;
  rows.reserve(issues.size());
  for (const auto& i : issues) rows.push_back({i.rule, i.severity, i.file, i.line, i.path, i.field, i.message, i.person});
  store_.save_issues(run_, year, rows, first);
}

// On the worker's thread: only the reader's connection and this object's queue.
void ValidationStage::work(Store& reader) {
  try {
    for (const auto& y : years_) {
      if (y.reused_from) continue;
      StoreValidation one = validate_store(reader, cfg_.schemas_dir, cfg_.la_code, y.year,
                                           [&](int year, const std::vector<Issue>& issues, bool first) {
                                             hand_over(Batch{year, issues, first, false, std::nullopt, std::nullopt});
                                           });
      hand_over(Batch{y.year, {}, false, true, counts_of(one, y.year), std::nullopt});
    }
  } catch (const Stopped&) {
  } catch (...) {
    std::lock_guard<std::mutex> lock(mutex_);
    error_ = std::current_exception();
  }
}

// Past the bound a batch's issues wait in the temporary file; only when it cannot be made does
// the validation wait for the run to take what waits.
void ValidationStage::hand_over(Batch batch) {
  {
    std::unique_lock<std::mutex> lock(mutex_);
    if (!batch.issues.empty() && queued_issues_ >= max_queued_ && !spill(batch))
      changed_.wait(lock, [&] { return stop_ || queued_issues_ < max_queued_; });
    if (stop_) throw Stopped{};
    queued_issues_ += batch.issues.size();
    queue_.push_back(std::move(batch));
  }
  changed_.notify_all();
}

// With mutex_ held.
bool ValidationStage::spill(Batch& batch) {
  if (!no_spill_.empty()) return false;
  try {
    if (!spill_) spill_ = std::make_unique<IssueSpill>();
    batch.spilled = spill_->add(batch.issues);
  } catch (const Error& e) {
    no_spill_ = e.message();
    return false;
  }
  batch.issues = {};
  return true;
}

StoreValidation validate_and_log(const HubConfig& cfg, Store& store, std::int64_t run, int only_year) {
  return ValidationStage(cfg, store, run, only_year).finish();
}

}  // namespace sendhub
