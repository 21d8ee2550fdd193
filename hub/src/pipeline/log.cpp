#include "pipeline/log.h"

#include <iostream>
#include <string>

namespace sendhub {
namespace {
bool g_verbose = false;
}

void set_log_verbose(bool verbose) { g_verbose = verbose; }

void log_line(LogLevel level, std::string_view who, std::string_view message) {
  if (level == LogLevel::debug && !g_verbose) return;
  std::string line = "sendhub: ";
  if (level == LogLevel::warning) line += "warning: ";
  if (!who.empty()) line += std::string(who) + ": ";
  line += message;
  line += '\n';
  std::cerr << line << std::flush;
}

}  // namespace sendhub
