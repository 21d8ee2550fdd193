#include "pipeline/log.h"

#include <unistd.h>

#include <iostream>
#include <string>

namespace sendhub {
namespace {
bool g_verbose = false;
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
  std::cerr << line << std::flush;
}

}  // namespace sendhub
