// text.h: small text helpers every report-writing connector needs, written once
// (header-only, compiled into the connectors that include it).
#pragma once

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <string>

namespace plugin_support {

// Trimmed of spaces and tabs and lower-cased: how names, addresses and yes/no answers typed by
// people are compared.
inline std::string folded(std::string s) {
  s.erase(0, s.find_first_not_of(" \t"));
  s.erase(s.find_last_not_of(" \t") + 1);
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// Text in an HTML page, element or attribute.
inline std::string html_escape(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

// A number with `decimals` places (0, 1, ...), as printf's %.Nf writes it: how every figure in
// an extract, a chart or a page is rounded.
inline std::string fixed(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

}  // namespace plugin_support
