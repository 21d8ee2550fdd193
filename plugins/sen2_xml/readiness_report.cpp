#include "readiness_report.h"

#include "text.h"

#include <algorithm>
#include <cstdio>

#include "sendhub/csv.h"

namespace sen2 {
namespace {

using plugin_support::html_escape;

std::string where(const sendhub::ReturnIssue& i) {
  if (i.where.file.empty()) return "";
  return i.where.file + (i.where.line > 0 ? ":" + std::to_string(i.where.line) : "");
}

// The key of a rule's section: errors first ('0'), then by rule.
std::string section_of(const sendhub::ReturnIssue& i) { return (i.severity == "error" ? "0" : "1") + i.rule; }

// The spill sorts keys as bytes: fields apart by a byte below any printable one, the
// line as fixed-width digits.
std::string csv_key(const sendhub::ReturnIssue& i) {
  char line[24];
  std::snprintf(line, sizeof line, "%020lld", static_cast<long long>(std::max<std::int64_t>(i.where.line, 0)));
  return section_of(i) + '\x1f' + i.source + '\x1f' + i.where.file + '\x1f' + line;
}

// Blocks of 64 KiB to the file.
class Blocks {
 public:
  explicit Blocks(sendhub::OutputFile& out) : out_(out) {}
  ~Blocks() = default;
  Blocks(const Blocks&) = delete;
  Blocks& operator=(const Blocks&) = delete;
  std::string& text() { return text_; }
  void maybe_flush() {
    if (text_.size() >= 65536) flush();
  }
  void flush() {
    out_.write(text_);
    text_.clear();
  }

 private:
  sendhub::OutputFile& out_;
  std::string text_;
};

}  // namespace

void ReadinessReport::add(const std::vector<sendhub::ReturnIssue>& issues) {
  using sendhub::csv::row;
  for (const auto& i : issues) {
    (i.severity == "error" ? errors_ : queries_) += 1;
    ++per_rule_[i.rule];
    auto& r = rules_[section_of(i)];
    if (r.count++ == 0) r = {i.severity, i.rule, i.message, 1};
    csv_rows_.add(csv_key(i), row({i.message, i.field, i.person_ref, i.reference, i.source, i.where.file,
                                   i.where.line > 0 ? std::to_string(i.where.line) : ""}));
    html_rows_.add(section_of(i), "<tr><td>" + html_escape(i.person_ref) + "</td><td>" + html_escape(i.reference) +
                                      "</td><td>" + html_escape(i.field) + "</td><td>" + html_escape(i.source) +
                                      "</td><td>" + html_escape(where(i)) + "</td></tr>\n");
  }
}

std::string ReadinessReport::verdict() const {
  if (errors_ == 0 && queries_ == 0) return "ready to upload";
  if (errors_ == 0) return "ready to upload; " + std::to_string(queries_) + " queries need a note";
  return std::to_string(errors_) + " errors block the upload, " + std::to_string(queries_) + " queries need a note";
}

void ReadinessReport::write_csv(sendhub::OutputFile& out) const {
  using sendhub::csv::row;
  Blocks b(out);
  b.text() = row({"rule", "severity", "rule_count", "what_to_fix", "field", "person_key", "reference", "source",
                  "file", "line"});
  b.text() += row({"verdict", errors_ ? "error" : "ok", std::to_string(errors_ + queries_), verdict(), "", "", "", "", "", ""});
  csv_rows_.each([&](std::string_view key, std::string_view tail) {
    const Rule& r = rules_.at(std::string(key.substr(0, key.find('\x1f'))));
    std::string head = row({r.rule, r.severity, std::to_string(per_rule_.at(r.rule))});
    head.resize(head.size() - 2);   // its CRLF: the row goes on with the issue's fields
    b.text().append(head).append(",").append(tail);
    b.maybe_flush();
  });
  b.flush();
}

void ReadinessReport::write_html(sendhub::OutputFile& out, int year, const std::string& deadline) const {
  Blocks b(out);
  std::string& o = b.text();
  o = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>SEN2 " + std::to_string(year) +
      " readiness</title><style>body{font-family:sans-serif;margin:2em}"
      "table{border-collapse:collapse}td,th{border:1px solid #bbb;padding:4px 8px;text-align:left}"
      ".error{color:#a00}.query{color:#a60}.ok{color:#070}</style></head><body>\n";
  o += "<h1>SEN2 " + std::to_string(year) + " return: <span class=\"" + (errors_ ? "error" : "ok") + "\">" +
       html_escape(verdict()) + "</span></h1>\n";
  if (!deadline.empty()) o += "<p>Deadline: " + html_escape(deadline) + "</p>\n";
  std::string section;
  html_rows_.each([&](std::string_view key, std::string_view tr) {
    if (key != section) {
      if (!section.empty()) o += "</table>\n";
      section = key;
      const Rule& r = rules_.at(section);
      o += "<h2 class=\"" + r.severity + "\">" + html_escape(r.rule) + " (" + r.severity + ", " +
           std::to_string(r.count) + "): " + html_escape(r.message) + "</h2>\n<table><tr><th>person_key</th>"
           "<th>reference</th><th>field</th><th>source</th><th>where</th></tr>\n";
    }
    o.append(tr);
    b.maybe_flush();
  });
  if (!section.empty()) o += "</table>\n";
  o += "</body></html>\n";
  b.flush();
}

}  // namespace sen2
