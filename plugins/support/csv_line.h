// csv_line.h: one CSV line's fields, RFC 4180 quotes (a doubled quote inside), CR dropped; for
// the published files connectors read line by line (the DfE's releases, COLLECT's Blade export),
// where no field holds a line break. Compiled into the connectors that need it.
#pragma once

#include <string>
#include <vector>

namespace plugin_support {

inline std::vector<std::string> split_csv_line(const std::string& line) {
  std::vector<std::string> out(1);
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted && c == '"' && i + 1 < line.size() && line[i + 1] == '"') out.back() += '"', ++i;
    else if (c == '"') quoted = !quoted;
    else if (c == ',' && !quoted) out.emplace_back();
    else if (c != '\r') out.back() += c;
  }
  return out;
}

}  // namespace plugin_support
