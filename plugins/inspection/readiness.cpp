#include "readiness.h"

#include <map>

#include "sendhub/csv.h"
#include "text.h"

namespace inspection {
namespace {

std::string esc(const std::string& s) { return plugin_support::html_escape(s); }

std::string list_name(int list) { return list == 1 ? "List 1 (EHC plans)" : "List 2 (SEN support)"; }

}  // namespace

void write_readiness(sendhub::SinkContext& ctx, const std::string& dir, const std::string& as_at,
                     const std::vector<ListIssue>& issues, const ReadinessCounts& n) {
  using sendhub::csv::row;
  std::string csv = row({"list", "unique_id", "column", "rule", "severity", "message", "source", "file", "line"});
  for (const auto& i : issues)
    csv += row({std::to_string(i.list), i.unique_id, i.column, i.rule, i.severity, i.message, i.source, i.file,
                i.line ? std::to_string(i.line) : ""});
  auto f = ctx.create_output(dir + "/inspection_readiness.csv");
  f->write(csv);
  f->commit();

  std::map<std::string, std::pair<long, const ListIssue*>> by_rule;
  for (const auto& i : issues) {
    auto& r = by_rule[i.rule];
    ++r.first;
    r.second = &i;
  }
  std::string h = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Inspection lists: readiness</title>"
                  "<style>body{font-family:sans-serif;margin:2rem;max-width:70rem}table{border-collapse:collapse;width:100%}"
                  "td,th{border-bottom:1px solid #ccc;padding:.3rem;text-align:left}.error{color:#d4351c;font-weight:700}"
                  ".query{color:#b58840;font-weight:700}</style></head><body>\n<h1>Annex A SEND lists as at " + esc(as_at) +
                  "</h1>\n<p>" + std::to_string(n.list1) + " children on " + list_name(1) + ", " + std::to_string(n.list2) +
                  " on " + list_name(2) + ". Data to Insight's checks: " + std::to_string(n.errors) + " errors, " +
                  std::to_string(n.queries) + " queries. " +
                  (n.errors ? "The lists are withheld until the errors are fixed in their sources (or the sink's force is set)."
                            : "The lists are ready to hand over.") +
                  "</p>\n<h2>By rule</h2>\n<table><tr><th>Rule</th><th>Severity</th><th>Rows</th><th>What to fix</th></tr>\n";
  for (const auto& [rule, r] : by_rule)
    h += "<tr><td>" + esc(rule) + "</td><td class=\"" + esc(r.second->severity) + "\">" + esc(r.second->severity) + "</td><td>" +
         std::to_string(r.first) + "</td><td>" + esc(r.second->message) + "</td></tr>\n";
  h += "</table>\n<h2>Every issue, with the record to fix</h2>\n<table><tr><th>List</th><th>Unique ID</th><th>Column</th>"
       "<th>Rule</th><th>Source</th><th>File</th><th>Line</th></tr>\n";
  for (const auto& i : issues)
    h += "<tr><td>" + std::to_string(i.list) + "</td><td>" + esc(i.unique_id) + "</td><td>" + esc(i.column) + "</td><td class=\"" +
         esc(i.severity) + "\">" + esc(i.rule) + "</td><td>" + esc(i.source) + "</td><td>" + esc(i.file) + "</td><td>" +
         (i.line ? std::to_string(i.line) : "") + "</td></tr>\n";
  auto page = ctx.create_output(dir + "/inspection_readiness.html");
  page->write(h + "</table>\n</body></html>\n");
  page->commit();
}

}  // namespace inspection
