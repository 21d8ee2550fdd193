// pipeline/log.h: every line sendhub prints to stderr starts "sendhub: ". Callers pass
// no personal data (privacy.md §1); records are named by file, line and reference.
#pragma once

#include <chrono>
#include <exception>
#include <string>
#include <string_view>

#include "sendhub/plugin.h"

namespace sendhub {

void set_log_verbose(bool verbose);
// One whole line at a time, from any thread (sinks run side by side).
void log_line(LogLevel level, std::string_view who, std::string_view message);

// A stage's seconds, for the run summary; --verbose prints them with the process's peak memory
// so far ("took 1.234 s (peak memory so far 87 MB)": the stage that raises it is the one that
// sets the run's).
double took(const std::string& stage, double seconds);
// Seconds since `from`; a stage's are printed as took() prints them.
double since(std::chrono::steady_clock::time_point from, const std::string& stage = "");
// What a log line says of a failure: an Error with its file, line, field and rule.
std::string describe(const std::exception& e);

}  // namespace sendhub
