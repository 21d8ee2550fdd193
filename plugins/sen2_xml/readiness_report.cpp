#include "readiness_report.h"

#include <algorithm>
#include <map>

#include "sendhub/csv.h"

namespace sen2 {
namespace {

std::string html_escape(const std::string& s) {
  std::string out;
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

std::string where(const sendhub::ReturnIssue& i) {
  if (i.where.file.empty()) return "";
  return i.where.file + (i.where.line > 0 ? ":" + std::to_string(i.where.line) : "");
}

}  // namespace

void ReadinessReport::add(std::vector<sendhub::ReturnIssue> issues) {
  for (auto& i : issues) {
    (i.severity == "error" ? errors_ : queries_) += 1;
    issues_.push_back(std::move(i));
  }
}

std::string ReadinessReport::verdict() const {
  if (errors_ == 0 && queries_ == 0) return "ready to upload";
  if (errors_ == 0) return "ready to upload; " + std::to_string(queries_) + " queries need a note";
  return std::to_string(errors_) + " errors block the upload, " + std::to_string(queries_) + " queries need a note";
}

// Errors first, then by rule, then where they point.
std::string ReadinessReport::csv() const {
  using sendhub::csv::row;
  std::map<std::string, long> per_rule;
  for (const auto& i : issues_) ++per_rule[i.rule];
  auto sorted = issues_;
  std::stable_sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) {
    return std::make_tuple(a.severity != "error", a.rule, a.source, a.where.file, a.where.line) <
           std::make_tuple(b.severity != "error", b.rule, b.source, b.where.file, b.where.line);
  });
  std::string out = row({"rule", "severity", "rule_count", "what_to_fix", "field", "person_key", "reference", "source",
                         "file", "line"});
  out += row({"verdict", errors_ ? "error" : "ok", std::to_string(errors_ + queries_), verdict(), "", "", "", "", "", ""});
  for (const auto& i : sorted)
    out += row({i.rule, i.severity, std::to_string(per_rule[i.rule]), i.message, i.field, i.person_ref, i.reference,
                i.source, i.where.file, i.where.line > 0 ? std::to_string(i.where.line) : ""});
  return out;
}

std::string ReadinessReport::html(int year, const std::string& deadline) const {
  std::map<std::string, std::vector<const sendhub::ReturnIssue*>> by_rule;
  for (const auto& i : issues_) by_rule[(i.severity == "error" ? "0" : "1") + i.rule].push_back(&i);
  std::string out = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>SEN2 " +
                    std::to_string(year) + " readiness</title><style>body{font-family:sans-serif;margin:2em}"
                    "table{border-collapse:collapse}td,th{border:1px solid #bbb;padding:4px 8px;text-align:left}"
                    ".error{color:#a00}.query{color:#a60}.ok{color:#070}</style></head><body>\n";
  out += "<h1>SEN2 " + std::to_string(year) + " return: <span class=\"" + (errors_ ? "error" : "ok") + "\">" +
         html_escape(verdict()) + "</span></h1>\n";
  if (!deadline.empty()) out += "<p>Deadline: " + html_escape(deadline) + "</p>\n";
  for (const auto& [key, list] : by_rule) {
    const auto& first = *list.front();
    out += "<h2 class=\"" + first.severity + "\">" + html_escape(first.rule) + " (" + first.severity + ", " +
           std::to_string(list.size()) + "): " + html_escape(first.message) + "</h2>\n<table><tr><th>person_key</th>"
           "<th>reference</th><th>field</th><th>source</th><th>where</th></tr>\n";
    for (const auto* i : list)
      out += "<tr><td>" + html_escape(i->person_ref) + "</td><td>" + html_escape(i->reference) + "</td><td>" +
             html_escape(i->field) + "</td><td>" + html_escape(i->source) + "</td><td>" + html_escape(where(*i)) +
             "</td></tr>\n";
    out += "</table>\n";
  }
  return out + "</body></html>\n";
}

}  // namespace sen2
