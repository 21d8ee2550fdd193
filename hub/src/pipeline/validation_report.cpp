#include "pipeline/validation_report.h"

#include "sendhub/csv.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <cstdio>
#include <sstream>

#include "config/hub_config.h"

namespace sendhub {
namespace {

// Issues held back until the totals are known: an unnamed temporary file (tmpfile(3)
// creates it 0600 and it is gone when closed, even if sendhub is killed).
class Spill {
 public:
  Spill() : file_(std::tmpfile(), &std::fclose) {
    if (!file_) throw Error(Where{}, "", "io", "cannot create a temporary file for the report");
  }
  void write(std::string_view text) {
    if (std::fwrite(text.data(), 1, text.size(), file_.get()) != text.size())
      throw Error(Where{}, "", "io", "cannot write the report's temporary file");
  }
  void copy_to(std::ostream& out) {
    std::rewind(file_.get());
    char buf[65536];
    for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, file_.get())) > 0;) out.write(buf, static_cast<std::streamsize>(n));
  }

 private:
  std::unique_ptr<FILE, int (*)(FILE*)> file_;
};

class TextWriter final : public ReportWriter {
 public:
  explicit TextWriter(std::ostream& out) : out_(out) {}
  void add(const Issue& i) override {
    out_ << i.file;
    if (i.line > 0) out_ << ':' << i.line;
    out_ << ": " << (i.path.empty() ? "" : i.path + ": ") << (i.field.empty() ? "" : i.field + ": ") << i.message
         << " [" << i.rule << ", " << i.severity << "]\n";
  }
  void end(const ValidationReport& r) override {
    if (!r.unmapped.empty()) out_ << "values the profile's codes do not map (add them, or a default):\n";
    for (const auto& [key, n] : r.unmapped) out_ << "  " << key.first << ": \"" << key.second << "\" in " << n << " row(s)\n";
    out_ << r.files.size() << " file(s), " << r.records << " records: " << r.errors << " errors, " << r.queries
         << " queries\n";
  }

 private:
  std::ostream& out_;
};

class CsvWriter final : public ReportWriter {
 public:
  explicit CsvWriter(std::ostream& out) : out_(out) {
    out_ << csv::row({"rule", "severity", "file", "line", "path", "field", "message", "person"});
  }
  void add(const Issue& i) override {
    out_ << csv::row({i.rule, i.severity, i.file, std::to_string(i.line), i.path, i.field, i.message, i.person});
  }
  void end(const ValidationReport&) override {}

 private:
  std::ostream& out_;
};

// The same document Poco's stringify makes of the whole report, written in parts.
class JsonWriter final : public ReportWriter {
 public:
  explicit JsonWriter(std::ostream& out) : out_(out) {}
  void add(const Issue& i) override {
    Poco::JSON::Object o(Poco::JSON_PRESERVE_KEY_ORDER);
    o.set("rule", i.rule);
    o.set("severity", i.severity);
    o.set("file", i.file);
    o.set("line", i.line);
    o.set("path", i.path);
    o.set("field", i.field);
    o.set("message", i.message);
    o.set("person", i.person);
    std::ostringstream text;
    if (any_) text << ',';
    o.stringify(text);
    spill_.write(text.str());
    any_ = true;
  }
  void end(const ValidationReport& r) override {
    Poco::JSON::Array files;
    for (const auto& f : r.files) files.add(f);
    Poco::JSON::Object summary(Poco::JSON_PRESERVE_KEY_ORDER);
    summary.set("records", r.records);
    summary.set("errors", r.errors);
    summary.set("queries", r.queries);
    Poco::JSON::Array unmapped;
    for (const auto& [key, n] : r.unmapped) {
      Poco::JSON::Object o(Poco::JSON_PRESERVE_KEY_ORDER);
      o.set("field", key.first);
      o.set("value", key.second);
      o.set("rows", n);
      unmapped.add(o);
    }
    out_ << "{\"files\":";
    files.stringify(out_);
    out_ << ",\"year\":" << r.year << ",\"summary\":";
    summary.stringify(out_);
    out_ << ",\"issues\":[";
    spill_.copy_to(out_);
    out_ << "],\"unmapped\":";
    unmapped.stringify(out_);
    out_ << "}\n";
  }

 private:
  std::ostream& out_;
  Spill spill_;
  bool any_ = false;
};

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
class HtmlWriter final : public ReportWriter {
 public:
  explicit HtmlWriter(std::ostream& out) : out_(out) {}
  void add(const Issue& i) override {
    spill_.write("<tr class=\"" + i.severity + "\"><td>" + html_escape(i.rule) + "</td><td>" + i.severity + "</td><td>" +
                 html_escape(i.person) + "</td><td>" + html_escape(i.file) + "</td><td>" + std::to_string(i.line) +
                 "</td><td>" + html_escape(i.path) + "</td><td>" + html_escape(i.field) + "</td><td>" +
                 html_escape(i.message) + "</td></tr>\n");
  }
  void end(const ValidationReport& r) override {
    head(r);
    spill_.copy_to(out_);
    out_ << R"(</tbody></table><script>
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

 private:
  void head(const ValidationReport& r) {
    out_ << R"(<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>SEN2 validation report</title>
<style>body{font-family:system-ui,sans-serif;margin:1.5rem;color:#1b1b1b}table{border-collapse:collapse;width:100%}
th,td{border:1px solid #ccc;padding:.3rem .5rem;text-align:left;font-size:.9rem}th{background:#f0f0f0;cursor:pointer}
tr.error td:nth-child(2){color:#a00;font-weight:600}tr.query td:nth-child(2){color:#8a5a00}
.filters{margin:1rem 0;display:flex;gap:1rem}.summary span{margin-right:1.5rem}</style></head><body>
<h1>SEN2 validation report</h1><p class="summary">)";
    out_ << "<span>Return year: <b>" << r.year << "</b></span><span>Records: <b>" << r.records
         << "</b></span><span>Errors: <b id=\"errors\">" << r.errors << "</b></span><span>Queries: <b id=\"queries\">"
         << r.queries << "</b></span></p><p>Files: ";
    for (const auto& f : r.files) out_ << html_escape(f) << " ";
    out_ << R"(</p><div class="filters"><label>Rule <input id="f-rule" placeholder="e.g. SEN2-R10"></label>
<label>Severity <select id="f-sev"><option value="">all</option><option>error</option><option>query</option></select></label>
<label>Person <input id="f-person" placeholder="e.g. 2026-P3"></label><span id="shown"></span></div>
<table id="issues"><thead><tr><th>Rule</th><th>Severity</th><th>Person</th><th>File</th><th>Line</th><th>Path</th><th>Field</th><th>Message</th></tr></thead><tbody>
)";
  }

  std::ostream& out_;
  Spill spill_;
};

}  // namespace

std::unique_ptr<ReportWriter> ReportWriter::make(const std::string& format, std::ostream& out) {
  if (format == "json") return std::make_unique<JsonWriter>(out);
  if (format == "csv") return std::make_unique<CsvWriter>(out);
  if (format == "html") return std::make_unique<HtmlWriter>(out);
  if (format == "text" || format.empty()) return std::make_unique<TextWriter>(out);
  throw ConfigError(Where{}, "--format", "usage", "must be text, json, csv or html");
}

void write_report(const ValidationReport& report, const std::string& format, std::ostream& out) {
  auto writer = ReportWriter::make(format, out);
  for (const auto& i : report.issues) writer->add(i);
  writer->end(report);
}

}  // namespace sendhub
