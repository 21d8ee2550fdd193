#include "text/clock.h"

#include <ctime>

namespace sendhub::text {
namespace {

std::string format_now(const char* format, bool utc) {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  if (utc)
    gmtime_r(&t, &tm);
  else
    localtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, format, &tm);
  return buf;
}

}  // namespace

std::string utc_now() { return format_now("%Y-%m-%dT%H:%M:%SZ", true); }
std::string today_iso() { return format_now("%Y-%m-%d", false); }

}  // namespace sendhub::text
