#include "pipeline/sink_stage.h"

#include <malloc.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <exception>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "pipeline/contexts.h"
#include "pipeline/dataset_cache.h"
#include "pipeline/log.h"
#include "pipeline/run.h"
#include "pipeline/sink_reuse.h"

namespace sendhub {
namespace {

// What the last whole walk's copies took (dataset_state), for the next run's DatasetCache::expect.
const std::string kWholeWalkBytes = "walk_copy_bytes";

// How the sinks' walks were served: "sinks walked the dataset 5 times, 4 of them from the first
// walk's copies (43 MB in memory of the 256 MB budget)", plus what was spilled or why not.
void log_walks(const HubConfig& cfg, const DatasetCache& walks) {
  std::string line = "sinks walked the dataset " + std::to_string(walks.store_walks() + walks.cached_walks()) + " times, " +
                     std::to_string(walks.cached_walks()) + " of them from the first walk's copies (" +
                     std::to_string(walks.bytes() >> 20) + " MB in memory of the " +
                     std::to_string(static_cast<long>(cfg.memory_budget_mb)) + " MB budget";
  if (walks.spilled_bytes() > 0) line += ", " + std::to_string(walks.spilled_bytes() >> 20) + " MB in a temporary file";
  if (walks.straight_to_file()) line += ", all of them: the last run's were over the budget";
  line += ")";
  if (!walks.dropped().empty()) line += "; the copies were given up: " + walks.dropped();
  log_line(walks.dropped().empty() ? LogLevel::info : LogLevel::warning, "", line);
}

// The sinks of one run and what they share.
struct SinkStage {
  const HubConfig& cfg;
  Store& store;
  const RunSummary& run;
  const std::string& not_ready;
  ValidationStage* validating;
  DatasetCache walks;

  // One sink: not run when the dataset is not ready, nor when nothing it depends on changed;
  // else run, and its outcome noted for the next run. Every store call here holds the gate.
  StageRun one(Binding& b) {
    const std::string& name = b.config->name;
    if (!not_ready.empty()) {
      log_line(LogLevel::error, name, "not run: " + not_ready);
      return {name, "skipped", not_ready, ""};
    }
    const auto started = std::chrono::steady_clock::now();
    std::string mark;
    std::optional<SinkOutcome> outcome;
    {
      const std::lock_guard<StoreGate> held(walks.store_gate());
      mark = sink_mark(cfg, store, *b.config, b.connector->info.sink_keys, run.as_at);
      outcome = sink_unchanged(store, name, mark);
    }
    if (outcome) {
      outcome->note = "unchanged since run " + std::to_string(outcome->run) + " (inputs, configuration and outputs), "
                      "nothing rewritten" + (outcome->note.empty() ? "" : "; " + outcome->note);
      log_line(outcome->status == "ok" ? LogLevel::info : LogLevel::error, name,
               outcome->note + (outcome->why.empty() ? "" : "; withheld: " + outcome->why));
    } else {
      outcome = sink_outcome(cfg, store, b, run.as_at, run.run_id, &walks);
      outcome->run = run.run_id;
      outcome->seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
      try {
        const std::lock_guard<StoreGate> held(walks.store_gate());
        remember_sink(store, name, mark, *outcome);
      } catch (const std::exception& e) {  // the outputs stand; the next run just does the work again
        log_line(LogLevel::warning, name, "could not note its outputs for the next run: " + describe(e));
      }
    }
    const bool ok = outcome->status == "ok";
    StageRun done{name, ok ? "ok" : "failed", outcome->why, outcome->note, since(started, name)};
    if (validating) {
      const std::lock_guard<StoreGate> held(walks.store_gate());
      validating->save_ready();
    }
    return done;
  }

  // The sinks from `next` on, longest first by their last run scaled to this run's change
  // (expected_seconds; configured order when none is known): two threads that take the longest
  // first end together more often than not. On a night's change at 100,000 children, in
  // configured order, the KPIs, the extract and the alerts (7.0 s) ran one after another beside
  // the inspection lists (4.8 s).
  std::vector<std::size_t> longest_first(const std::vector<Binding>& sinks, std::size_t next) {
    std::vector<std::pair<double, std::size_t>> took;
    {
      const std::lock_guard<StoreGate> held(walks.store_gate());
      const double share = walks.made_share();
      for (std::size_t i = next; i < sinks.size(); ++i)
        took.emplace_back(expected_seconds(store, sinks[i].config->name, share), i);
    }
    std::stable_sort(took.begin(), took.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    std::vector<std::size_t> order;
    order.reserve(took.size());
    for (const auto& t : took) order.push_back(t.second);
    return order;
  }

  // The sinks from `next` on, `threads` at a time, each outcome in its place. A sink that
  // throws (a store failure around it) stops any more from starting; the first such is rethrown
  // once the others have ended.
  void side_by_side(std::vector<Binding>& sinks, std::size_t next, std::vector<StageRun>& done, std::size_t threads) {
    const std::vector<std::size_t> order = longest_first(sinks, next);
    std::atomic<std::size_t> take{0};
    std::atomic<bool> stop{false};
    std::mutex thrown_mutex;
    std::exception_ptr thrown;
    auto work = [&] {
      for (std::size_t k = take++; k < order.size() && !stop; k = take++) {
        const std::size_t i = order[k];
        try {
          done[i] = one(sinks[i]);
        } catch (...) {
          stop = true;
          const std::lock_guard<std::mutex> lock(thrown_mutex);
          if (!thrown) thrown = std::current_exception();
        }
      }
    };
    const std::size_t at_once = std::min(threads, sinks.size() - next);
    if (at_once > 1) {
      std::string line = "the " + std::to_string(sinks.size() - next) + " sinks after " + sinks[next - 1].config->name +
                         " run " + std::to_string(at_once) + " at a time (its walk's copies serve them)";
      if (!std::is_sorted(order.begin(), order.end())) {
        line += ", the longest by the last run first:";
        for (std::size_t k = 0; k < order.size(); ++k) line += (k ? ", " : " ") + sinks[order[k]].config->name;
      }
      log_line(LogLevel::info, "", line);
    }
    std::vector<std::thread> others;
    for (std::size_t t = 1; t < at_once; ++t) others.emplace_back(work);
    work();
    for (auto& t : others) t.join();
    if (thrown) std::rethrow_exception(thrown);
  }
};

}  // namespace

bool run_sinks(const HubConfig& cfg, Store& store, Bindings& bindings, RunSummary& run, const std::string& not_ready,
               ValidationStage* validating) {
  SinkStage stage{cfg, store, run, not_ready, validating,
                  DatasetCache(static_cast<std::size_t>(cfg.memory_budget_mb * 1048576))};
  std::vector<Binding>& sinks = bindings.sinks;
  std::vector<StageRun> done(sinks.size());
  stage.walks.expect(std::strtoull(store.dataset_value(kWholeWalkBytes).c_str(), nullptr, 10));
  // One at a time until the copies hold a whole walk: side by side, each would walk the store.
  std::size_t next = 0;
  const auto threads = static_cast<std::size_t>(std::max(1, cfg.sink_threads));
  for (; next < sinks.size() && (threads < 2 || !stage.walks.whole()); ++next) done[next] = stage.one(sinks[next]);
  if (next < sinks.size()) {
    // What the first walk freed goes back to the system first: a sink on another thread
    // allocates from a heap of its own (glibc's arenas), which would otherwise grow on top of the
    // first walk's free memory instead of reusing it (+66 MB of peak at 100,000 children).
    ::malloc_trim(0);
    stage.walks.prepare(store, 0);   // the order every sink but the return asks
    stage.side_by_side(sinks, next, done, threads);
  }
  bool failed = false;
  for (auto& d : done) {
    failed = failed || d.status != "ok";
    run.sinks.push_back(std::move(d));
  }
  if (stage.walks.store_walks() + stage.walks.cached_walks() > 1) log_walks(cfg, stage.walks);
  if (const std::uint64_t whole = stage.walks.whole_bytes(); whole > 0)
    store.set_dataset_value(kWholeWalkBytes, std::to_string(whole));
  return failed;
}

// A sink's files are published together, after its write() returned: a failure half way
// leaves every earlier output as it was.
SinkOutcome sink_outcome(const HubConfig& cfg, Store& store, Binding& b, const std::string& as_at, std::int64_t run,
                         DatasetCache* walks) {
  SinkOutcome out{"failed", "", "", {}, 0};
  try {
    SinkContextImpl ctx(host_services(cfg, b), store, as_at, cfg, run);
    if (walks) ctx.share_walks(*walks);
    if (run > 0) ctx.keep_parts(parts_mark(cfg, b));
    b.connector->info.make_sink()->write(ctx);
    out.published = ctx.publish();
    out.note = ctx.noted();
    if (const auto& parts = ctx.parts_work(); parts.used > 0) {
      out.parts_seconds = parts.seconds;
      out.derived_share = static_cast<double>(parts.derived) / static_cast<double>(parts.used);
    }
    if (!ctx.refused()) {
      out.status = "ok";
      return out;
    }
    out.status = "refused";
    out.why = ctx.refused()->describe();
    log_line(LogLevel::error, b.config->name, "withheld its output: " + out.why);
    return out;
  } catch (const std::exception& e) {
    out.why = describe(e);
  } catch (...) {
    out.why = "the connector threw a non-standard exception (a bug in the connector)";
  }
  log_line(LogLevel::error, b.config->name, "failed, its earlier outputs are unchanged: " + out.why);
  return out;
}

bool run_sink(const HubConfig& cfg, Store& store, Binding& b, const std::string& as_at) {
  return sink_outcome(cfg, store, b, as_at).status == "ok";
}

}  // namespace sendhub
