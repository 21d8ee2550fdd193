#include "pipeline/log.h"

#include <sys/resource.h>
#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <mutex>
#include <string>

namespace sendhub {
namespace {
bool g_verbose = false;
std::mutex g_writing;   // a line is written whole, whichever thread logs it
}

void set_log_verbose(bool verbose) { g_verbose = verbose; }

void log_line(LogLevel level, std::string_view who, std::string_view message) {
  if (level == LogLevel::debug && !g_verbose) return;
  // On a terminal a progress line may stand unfinished: clear it, so no line is appended to it.
  static const bool terminal = ::isatty(STDERR_FILENO) != 0;
  std::string line = terminal ? "\r\033[K" : "";
  line += "sendhub: ";
  if (level == LogLevel::warning) line += "warning: ";
  if (!who.empty()) line += std::string(who) + ": ";
  // One event, one line: a control character from any text that reached a message (a
  // file name, a remote answer) cannot start a forged line or move the cursor.
  for (char c : message) line += (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) ? '?' : c;
  line += '\n';
  const std::lock_guard<std::mutex> lock(g_writing);
  std::cerr << line << std::flush;
}

double took(const std::string& stage, double seconds) {
  rusage usage{};
  ::getrusage(RUSAGE_SELF, &usage);
  char text[64];
  std::snprintf(text, sizeof text, "%.3f s (peak memory so far %ld MB)", seconds, usage.ru_maxrss / 1024);
  log_line(LogLevel::debug, stage, std::string("took ") + text);
  return seconds;
}

double since(std::chrono::steady_clock::time_point from, const std::string& stage) {
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - from).count();
  return stage.empty() ? s : took(stage, s);
}

std::string describe(const std::exception& e) {
  const auto* err = dynamic_cast<const Error*>(&e);
  return err ? err->describe() : e.what();
}

}  // namespace sendhub
