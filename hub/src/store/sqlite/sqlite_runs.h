// store/sqlite/sqlite_runs.h: a file store's run log (runs, run_sources) and the small state
// sources and sinks keep between runs (source_state: high-water marks, committed with the
// source's records; sink_state: what the alerts sink sent, written at once).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "store/sqlite/sqlite_db.h"
#include "store/store.h"

namespace sendhub::sqlite {

std::int64_t begin_run(Db& db, const std::string& as_at);
std::int64_t mark_interrupted(Db& db);   // runs left 'running' by a process that died
void finish_run(Db& db, std::int64_t run, const std::string& status, int exit_code);
std::vector<RunSummary> runs(Db& db);     // newest first, each with its sources
void record_source(Db& db, std::int64_t run, const SourceRun& src);

std::string source_state(Db& db, const std::string& source, const std::string& key);
void set_source_state(Db& db, const std::string& source, const std::string& key, const std::string& value);
std::map<std::string, std::string> sink_state(Db& db, const std::string& sink, const std::string& prefix);
std::vector<std::string> sink_state_values(Db& db, const std::string& sink, const std::vector<std::string>& keys);
void set_sink_state(Db& db, const std::string& sink, const std::string& key, const std::string& value);   // "" removes

}  // namespace sendhub::sqlite
