#include "readiness.h"

#include "sendhub/csv.h"
#include "text.h"

namespace inspection {
namespace {

std::string esc(const std::string& s) { return plugin_support::html_escape(s); }

std::string list_name(int list) { return list == 1 ? "List 1 (EHC plans)" : "List 2 (SEN support)"; }

}  // namespace

Readiness::Readiness(sendhub::SinkContext& ctx, std::string dir)
    : ctx_(ctx), dir_(std::move(dir)), csv_(ctx.create_output(dir_ + "/inspection_readiness.csv")) {
  csv_->write(sendhub::csv::row({"list", "unique_id", "column", "rule", "severity", "message", "source", "file", "line"}));
}

void Readiness::add(const ListIssue& i) {
  const std::string line = i.line ? std::to_string(i.line) : "";
  csv_->write(sendhub::csv::row(
      {std::to_string(i.list), i.unique_id, i.column, i.rule, i.severity, i.message, i.source, i.file, line}));
  auto& r = by_rule_[i.rule];
  ++r.first;
  r.second = {i.severity, i.message};
  ++(i.severity == "error" ? errors_ : queries_);
  rows_.add("", "<tr><td>" + std::to_string(i.list) + "</td><td>" + esc(i.unique_id) + "</td><td>" + esc(i.column) +
                    "</td><td class=\"" + esc(i.severity) + "\">" + esc(i.rule) + "</td><td>" + esc(i.source) + "</td><td>" +
                    esc(i.file) + "</td><td>" + line + "</td></tr>\n");
}

void Readiness::finish(const std::string& as_at, const ReadinessCounts& n) {
  csv_->commit();
  auto page = ctx_.create_output(dir_ + "/inspection_readiness.html");
  page->write("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Inspection lists: readiness</title>"
              "<style>body{font-family:sans-serif;margin:2rem;max-width:70rem}table{border-collapse:collapse;width:100%}"
              "td,th{border-bottom:1px solid #ccc;padding:.3rem;text-align:left}.error{color:#d4351c;font-weight:700}"
              ".query{color:#b58840;font-weight:700}</style></head><body>\n<h1>Annex A SEND lists as at " + esc(as_at) +
              "</h1>\n<p>" + std::to_string(n.list1) + " children on " + list_name(1) + ", " + std::to_string(n.list2) +
              " on " + list_name(2) + ". Data to Insight's checks: " + std::to_string(n.errors) + " errors, " +
              std::to_string(n.queries) + " queries. " +
              (n.errors ? "The lists are withheld until the errors are fixed in their sources (or the sink's force is set)."
                        : "The lists are ready to hand over.") +
              "</p>\n<h2>By rule</h2>\n<table><tr><th>Rule</th><th>Severity</th><th>Rows</th><th>What to fix</th></tr>\n");
  for (const auto& [rule, r] : by_rule_) {
    const auto& [severity, message] = r.second;
    page->write("<tr><td>" + esc(rule) + "</td><td class=\"" + esc(severity) + "\">" + esc(severity) + "</td><td>" +
                std::to_string(r.first) + "</td><td>" + esc(message) + "</td></tr>\n");
  }
  page->write("</table>\n<h2>Every issue, with the record to fix</h2>\n<table><tr><th>List</th><th>Unique ID</th><th>Column</th>"
              "<th>Rule</th><th>Source</th><th>File</th><th>Line</th></tr>\n");
  rows_.each([&](std::string_view, std::string_view row) { page->write(row); });
  page->write("</table>\n</body></html>\n");
  page->commit();
}

}  // namespace inspection
