#include "pipeline/run.h"
#include "pipeline/store_open.h"

#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <fstream>

#include "config/hub_config.h"
#include "io/private_file.h"
#include "pipeline/bindings.h"
#include "pipeline/contexts.h"
#include "pipeline/dataset_gate.h"
#include "pipeline/fingerprint.h"
#include "pipeline/exit_codes.h"
#include "pipeline/input_archive.h"
#include "pipeline/link_stage.h"
#include "pipeline/resolved_dataset.h"
#include "pipeline/log.h"
#include "pipeline/run_lock.h"
#include "pipeline/sink_stage.h"
#include "pipeline/sink_reuse.h"
#include "pipeline/run_json.h"
#include "pipeline/validate_store.h"
#include "pipeline/validation_stage.h"
#include "text/clock.h"

namespace sendhub {
namespace fs = std::filesystem;
namespace {

// On a terminal, a line saying which stage runs, overwritten by the stage's own output.
void stage_progress(const char* stage) {
  static const bool terminal = ::isatty(STDERR_FILENO) != 0;
  if (terminal) std::fprintf(stderr, "\rsendhub: %s ...\033[K\r", stage);
}

// One source, one transaction: what it wrote is committed together with its counts (and,
// when it changed records, a new data version), or rolled back whole so the store is as
// it was before this source.
SourceRun run_source(const HubConfig& cfg, Store& store, std::int64_t run, Binding& b, const CodeCheck* codes) {
  SourceRun result{b.config->name, "ok", "", {}};
  try {
    store.begin();
    const std::string mark = connector_mark(cfg, *b.config, b.connector->info.source_keys);
    SourceContextImpl ctx(host_services(cfg, b), store, run, cfg.archive_dir, codes, mark);
    b.connector->info.make_source()->read(ctx);
    ctx.wait_for_archive();
    result.counts = ctx.counts();
    const Store::Written written = store.settle();
    result.counts.stored = written.stored;
    result.counts.unchanged = written.unchanged;
    store.record_source(run, result);
    if (result.counts.stored > 0 || result.counts.removed > 0) store.data_changed();
    store.commit();
    const auto& c = result.counts;
    log_line(LogLevel::info, result.name,
             std::to_string(c.read) + " read, " + std::to_string(c.stored) + " stored, " +
                 std::to_string(c.unchanged) + " unchanged, " + std::to_string(c.quarantined) +
                 " quarantined, " + std::to_string(c.removed) + " removed" +
                 (c.replaced ? ", " + std::to_string(c.replaced) + " replaced by a later copy in this run" : "") +
                 (c.files_skipped ? "; " + std::to_string(c.files_skipped) + " files unchanged since read whole, not read again" : ""));
  } catch (const std::exception& e) {
    store.rollback();
    result.status = "failed";
    result.error = describe(e);
    result.counts = {};
    log_line(LogLevel::error, result.name, "failed, nothing of it was stored: " + result.error);
    try {
      store.begin();
      store.record_source(run, result);
      store.commit();
    } catch (const std::exception& again) {  // the disk is still full: the summary says it
      store.rollback();
      log_line(LogLevel::error, result.name, "the run log could not record this: " + describe(again));
    }
  } catch (...) {  // a connector threw something that is no exception: its bug, not the run's end
    store.rollback();
    result.status = "failed";
    result.error = "the connector threw a non-standard exception (a bug in the connector)";
    result.counts = {};
    log_line(LogLevel::error, result.name, "failed, nothing of it was stored: " + result.error);
  }
  return result;
}

// Links are saved first, conflicts.csv after: each failure is told as what it is.
StageRun link_stage(const HubConfig& cfg, Store& store, const std::string& salt) {
  try {
    const bool linked = run_linking(cfg, store, salt);
    return {"", "ok", "", linked ? "" : "unchanged: nothing changed since the last linking"};
  } catch (const std::exception& e) {
    const std::string why = describe(e);
    bool saved = false;
    try {
      saved = store.link_state().current();
      if (!saved) store.set_link_error(why);
    } catch (const std::exception&) {  // the state reads as not linked: sinks refuse
    }
    log_line(LogLevel::error, "linking",
             saved ? "links saved, but conflicts.csv could not be written: " + why
                   : "failed, the links are as before and nothing is published: " + why);
    return {"", "failed", why, ""};
  }
}

void write_summary(const HubConfig& cfg, const RunSummary& run) {
  Poco::JSON::Object summary = run_to_json(run);
  std::ostringstream line;
  summary.stringify(line);
  log_line(LogLevel::info, "", line.str());
  if (cfg.log_file.empty()) return;
  io::make_private_dirs(fs::path(cfg.log_file).parent_path().string());
  std::ofstream log(cfg.log_file, std::ios::app);
  log << line.str() << '\n';
}

void prune(const HubConfig& cfg, Store& store) {
  if (int pruned = prune_archive(store, cfg.retention_days); pruned > 0)
    log_line(LogLevel::info, "", "archive: deleted " + std::to_string(pruned) + " input copies older than " +
                                     std::to_string(cfg.retention_days) + " days");
  if (auto n = store.prune_quarantine(cfg.retention_days); n > 0)
    log_line(LogLevel::info, "", "quarantine: deleted " + std::to_string(n) + " records quarantined more than " +
                                     std::to_string(cfg.retention_days) + " days ago");
  std::vector<std::string> sinks;
  for (const auto& s : cfg.sinks) sinks.push_back(s.name);
  for (const auto& gone : store.prune_parts(sinks))
    log_line(LogLevel::info, "", "deleted the kept parts of " + gone + ", a sink no longer configured");
}

void validation_failed(RunSummary& run, const std::exception& e) {
  run.validation = {"", "failed", describe(e), ""};
  log_line(LogLevel::error, "validation", "failed: " + run.validation.error);
}

// A pool's resolved copy of the dataset, for its readers (nothing for a file store); true when
// it failed.
bool publish_pool_copy(const HubConfig& cfg, Store& store, RunSummary& run) {
  const auto started = std::chrono::steady_clock::now();
  bool failed = false;
  try {
    run.resolved = publish_resolved(cfg, store);
  } catch (const std::exception& e) {
    run.resolved = {"resolved", "failed", describe(e), ""};
    failed = true;
  }
  if (run.resolved.status.empty()) return failed;
  run.resolved.seconds = since(started, "resolved");
  const bool ok = run.resolved.status == "ok";
  log_line(ok ? LogLevel::info : LogLevel::error, "pool",
           ok ? "resolved dataset for pool readers: " + run.resolved.note : "resolved dataset not kept: " + run.resolved.error);
  return failed;
}

// Everything after the run is logged as started: sources, linking, validation, sinks.
// Returns whether anything failed; `problems` collects data problems.
bool run_stages(const HubConfig& cfg, Store& store, const std::string& salt, Bindings& bindings, RunSummary& run,
                bool& problems) {
  bool failed = false;
  std::optional<CodeCheck> codes;
  if (fs::exists(cfg.schemas_dir + "/sen2/rules.json")) codes.emplace(cfg.schemas_dir);
  for (auto& b : bindings.sources) {
    const auto started = std::chrono::steady_clock::now();
    run.sources.push_back(run_source(cfg, store, run.run_id, b, codes ? &*codes : nullptr));
    run.sources.back().seconds = since(started, b.config->name);
    failed = failed || run.sources.back().status == "failed";
    problems = problems || run.sources.back().counts.quarantined > 0;
  }
  // Validation reads the sources' records, neither the links nor the sinks' outputs, and no
  // sink reads what it finds: it runs beside linking and the sinks (validation_stage.h), and
  // its seconds overlap theirs.
  std::optional<ValidationStage> validating;
  try {
    validating.emplace(cfg, store, run.run_id);
    validating->start_beside();
  } catch (const std::exception& e) {
    validating.reset();
    validation_failed(run, e);
    failed = true;
  }
  const auto started = std::chrono::steady_clock::now();
  stage_progress("linking");
  run.linking = link_stage(cfg, store, salt);
  run.linking.seconds = since(started, "linking");
  failed = failed || run.linking.status != "ok";
  const std::string not_ready = dataset_not_ready(store);
  if (not_ready.empty()) failed = publish_pool_copy(cfg, store, run) || failed;
  if (validating) validating->save_ready();
  failed = run_sinks(cfg, store, bindings, run, not_ready, validating ? &*validating : nullptr) || failed;
  if (validating) try {
      stage_progress("validating");
      const StoreValidation validation = validating->finish();
      run.validation = {"", "ok", "", "", took("validation", validating->seconds())};
      problems = problems || validation.count("error") > 0;
    } catch (const std::exception& e) {
      validation_failed(run, e);
      failed = true;
    }
  validating.reset();
  try {
    prune(cfg, store);
  } catch (const std::exception& e) {
    log_line(LogLevel::warning, "", "retention: " + describe(e));
  }
  return failed;
}

}  // namespace

int run_pipeline(const HubConfig& cfg, const RunOptions& options) {
  PluginScan scan = load_plugins(cfg.plugins_dir);
  for (const auto& why : scan.refused) log_line(LogLevel::warning, "", "plugin refused: " + why);
  Bindings bindings = bind_connectors(cfg, scan);  // ConfigError: nothing done yet
  const std::string salt = link_salt(cfg);

  io::make_private_dirs(fs::path(cfg.store_path).parent_path().string());
  RunLock lock;
  if (!lock.try_acquire(cfg.store_path)) {
    log_line(LogLevel::error, "", "another run holds the store " + store_name(cfg));
    return exit_code::locked;
  }
  RunSummary run;
  run.as_at = options.as_at.empty() ? text::today_iso() : options.as_at;
  run.started = text::utc_now();
  std::unique_ptr<Store> store;
  try {
    store = open_store(cfg);
    if (!store->try_lock_run()) {   // a pool: this council's hub runs elsewhere
      log_line(LogLevel::error, "", "another run holds the store " + store_name(cfg));
      return exit_code::locked;
    }
    if (auto n = store->mark_interrupted(); n > 0)
      log_line(LogLevel::warning, "", std::to_string(n) + " earlier run(s) had stopped without finishing; marked interrupted");
    check_salt(*store, salt, options.rekey);  // before anything changes: a ConfigError is exit 2
    run.run_id = store->begin_run(run.as_at);
  } catch (const ConfigError&) {
    throw;
  } catch (const Error& e) {  // the store cannot even log the run (disk full): say so, change nothing
    log_line(LogLevel::error, "", "the run could not start: " + e.describe());
    run.status = "failed";
    run.exit_code = exit_code::failed;
    run.finished = text::utc_now();
    write_summary(cfg, run);
    return run.exit_code;
  }

  bool failed = false, problems = false;
  try {
    failed = run_stages(cfg, *store, salt, bindings, run, problems);
  } catch (const std::exception& e) {  // a store that cannot be read or written any more
    log_line(LogLevel::error, "", "the run stopped: " + describe(e));
    failed = true;
  }
  run.exit_code = failed ? exit_code::failed : problems ? exit_code::data_problems : exit_code::ok;
  run.status = failed ? "failed" : problems ? "data_problems" : "ok";
  try {
    store->finish_run(run.run_id, run.status, run.exit_code);
  } catch (const std::exception& e) {
    log_line(LogLevel::error, "", "the run log could not be closed (the next run marks it interrupted): " + describe(e));
  }
  run.finished = text::utc_now();
  try {
    write_summary(cfg, run);
  } catch (const std::exception& e) {
    log_line(LogLevel::error, "", "the log file could not be written: " + describe(e));
  }
  return run.exit_code;
}

}  // namespace sendhub
