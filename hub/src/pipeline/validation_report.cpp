#include "pipeline/validation_report.h"

#include "sendhub/csv.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include "config/hub_config.h"

namespace sendhub {
namespace {

void write_json(const ValidationReport& r, std::ostream& out) {
  Poco::JSON::Object root(Poco::JSON_PRESERVE_KEY_ORDER);
  Poco::JSON::Array files;
  for (const auto& f : r.files) files.add(f);
  root.set("files", files);
  root.set("year", r.year);
  Poco::JSON::Object summary(Poco::JSON_PRESERVE_KEY_ORDER);
  summary.set("records", r.records);
  summary.set("errors", r.count("error"));
  summary.set("queries", r.count("query"));
  root.set("summary", summary);
  Poco::JSON::Array issues;
  for (const auto& i : r.issues) {
    Poco::JSON::Object o(Poco::JSON_PRESERVE_KEY_ORDER);
    o.set("rule", i.rule);
    o.set("severity", i.severity);
    o.set("file", i.file);
    o.set("line", i.line);
    o.set("path", i.path);
    o.set("field", i.field);
    o.set("message", i.message);
    o.set("person", i.person);
    issues.add(o);
  }
  root.set("issues", issues);
  Poco::JSON::Array unmapped;
  for (const auto& [key, n] : r.unmapped) {
    Poco::JSON::Object o(Poco::JSON_PRESERVE_KEY_ORDER);
    o.set("field", key.first);
    o.set("value", key.second);
    o.set("rows", n);
    unmapped.add(o);
  }
  root.set("unmapped", unmapped);
  root.stringify(out);
  out << "\n";
}

void write_csv(const ValidationReport& r, std::ostream& out) {
  out << csv::row({"rule", "severity", "file", "line", "path", "field", "message", "person"});
  for (const auto& i : r.issues)
    out << csv::row({i.rule, i.severity, i.file, std::to_string(i.line), i.path, i.field, i.message, i.person});
}

void write_text(const ValidationReport& r, std::ostream& out) {
  for (const auto& i : r.issues) {
    out << i.file;
    if (i.line > 0) out << ':' << i.line;
    out << ": " << (i.path.empty() ? "" : i.path + ": ") << (i.field.empty() ? "" : i.field + ": ") << i.message
        << " [" << i.rule << ", " << i.severity << "]\n";
  }
  if (!r.unmapped.empty()) out << "values the profile's codes do not map (add them, or a default):\n";
  for (const auto& [key, n] : r.unmapped) out << "  " << key.first << ": \"" << key.second << "\" in " << n << " row(s)\n";
  out << r.files.size() << " file(s), " << r.records << " records: " << r.count("error") << " errors, "
      << r.count("query") << " queries\n";
}

std::string html_escape(const std::string& v) {
  std::string out;
  for (char c : v) {
    switch (c) {
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

// One page, no network: the table sorts on a header click and filters by rule, severity
// and person ref with a few lines of inline script.
void write_html(const ValidationReport& r, std::ostream& out) {
  out << R"(<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>SEN2 validation report</title>
<style>body{font-family:system-ui,sans-serif;margin:1.5rem;color:#1b1b1b}table{border-collapse:collapse;width:100%}
th,td{border:1px solid #ccc;padding:.3rem .5rem;text-align:left;font-size:.9rem}th{background:#f0f0f0;cursor:pointer}
tr.error td:nth-child(2){color:#a00;font-weight:600}tr.query td:nth-child(2){color:#8a5a00}
.filters{margin:1rem 0;display:flex;gap:1rem}.summary span{margin-right:1.5rem}</style></head><body>
<h1>SEN2 validation report</h1><p class="summary">)";
  out << "<span>Return year: <b>" << r.year << "</b></span><span>Records: <b>" << r.records
      << "</b></span><span>Errors: <b id=\"errors\">" << r.count("error") << "</b></span><span>Queries: <b id=\"queries\">"
      << r.count("query") << "</b></span></p><p>Files: ";
  for (const auto& f : r.files) out << html_escape(f) << " ";
  out << R"(</p><div class="filters"><label>Rule <input id="f-rule" placeholder="e.g. SEN2-R10"></label>
<label>Severity <select id="f-sev"><option value="">all</option><option>error</option><option>query</option></select></label>
<label>Person <input id="f-person" placeholder="e.g. 2026-P3"></label><span id="shown"></span></div>
<table id="issues"><thead><tr><th>Rule</th><th>Severity</th><th>Person</th><th>File</th><th>Line</th><th>Path</th><th>Field</th><th>Message</th></tr></thead><tbody>
)";
  for (const auto& i : r.issues)
    out << "<tr class=\"" << i.severity << "\"><td>" << html_escape(i.rule) << "</td><td>" << i.severity << "</td><td>"
        << html_escape(i.person) << "</td><td>" << html_escape(i.file) << "</td><td>" << i.line << "</td><td>"
        << html_escape(i.path) << "</td><td>" << html_escape(i.field) << "</td><td>" << html_escape(i.message)
        << "</td></tr>\n";
  out << R"(</tbody></table><script>
const body=document.querySelector('#issues tbody');const rows=[...body.rows];
function filter(){const rule=document.getElementById('f-rule').value.trim().toLowerCase();
const sev=document.getElementById('f-sev').value;const person=document.getElementById('f-person').value.trim().toLowerCase();
let n=0;for(const r of rows){const ok=(!rule||r.cells[0].textContent.toLowerCase().includes(rule))&&(!sev||r.cells[1].textContent===sev)
&&(!person||r.cells[2].textContent.toLowerCase()===person);r.style.display=ok?'':'none';if(ok)n++;}
document.getElementById('shown').textContent=n+' of '+rows.length+' shown';}
for(const id of ['f-rule','f-sev','f-person'])document.getElementById(id).addEventListener('input',filter);
document.querySelectorAll('#issues th').forEach((th,col)=>th.addEventListener('click',()=>{
const dir=th.dataset.dir==='asc'?-1:1;th.dataset.dir=dir===1?'asc':'desc';
rows.sort((a,b)=>{const x=a.cells[col].textContent,y=b.cells[col].textContent;
return (col===4?(Number(x)-Number(y)):x.localeCompare(y,undefined,{numeric:true}))*dir;});
rows.forEach(r=>body.appendChild(r));}));filter();
</script></body></html>
)";
}

}  // namespace

void write_report(const ValidationReport& report, const std::string& format, std::ostream& out) {
  if (format == "json") return write_json(report, out);
  if (format == "csv") return write_csv(report, out);
  if (format == "html") return write_html(report, out);
  if (format == "text" || format.empty()) return write_text(report, out);
  throw ConfigError(Where{}, "--format", "usage", "must be text, json, csv or html");
}

}  // namespace sendhub
