#include "tracker_page.h"

#include <algorithm>
#include <map>
#include <set>
#include <sstream>

#include "reference.h"
#include "svg_charts.h"

namespace kpi {
namespace {

// open_cases.csv's columns the page shows (Tracker::write_open_cases), by position.
enum Col { kRef = 0, kPerson = 1, kReceived = 3, kWeeks = 4, kStage = 13, kStep = 14, kDue = 15, kLeft = 16, kState = 17,
           kWeek20 = 18, kAdvice = 19, kOfficer = 20, kTeam = 21, kCols = 22 };

const char* kFilters[] = {"team", "officer", "stage", "state"};

// Filters and sorting with no server; the filters live in the address's #fragment too, so a
// link opens the page filtered (and the test drives the page through it).
// Filters and sorting with no server; both live in the address's #fragment too
// (#state=breached&team=North&sort=7), so a link opens the page as it was left, and a test
// drives the page in a browser through it.
const char* kScript =
    "<script>(function(){var f=['team','officer','stage','state'],sorted='';"
    "function hash(q){var h=Object.keys(q).map(function(k){return k+'='+encodeURIComponent(q[k]);});if(sorted)h.push('sort='+sorted);"
    "h=h.join('&');try{if(location.hash.slice(1)!==h)history.replaceState(null,'','#'+h);}catch(e){}}"
    "function apply(){var q={};f.forEach(function(k){var v=document.getElementById('f-'+k).value;if(v)q[k]=v;});var n=0;"
    "document.querySelectorAll('#cases tbody tr').forEach(function(r){var ok=f.every(function(k){return !q[k]||"
    "r.getAttribute('data-'+k)===q[k];});r.hidden=!ok;if(ok)n++;});document.getElementById('shown').textContent=String(n);hash(q);}"
    "function sort(i,desc){var th=document.querySelectorAll('#cases thead th')[i];if(!th)return;"
    "var tb=document.querySelector('#cases tbody');var rows=Array.prototype.slice.call(tb.rows);"
    "rows.sort(function(a,b){var x=a.cells[i].textContent,y=b.cells[i].textContent;var nx=parseFloat(x),ny=parseFloat(y);"
    "var c=(!isNaN(nx)&&!isNaN(ny))?nx-ny:x.localeCompare(y);return desc?-c:c;});"
    "rows.forEach(function(r){tb.appendChild(r);});document.querySelectorAll('#cases thead th').forEach(function(t){"
    "t.removeAttribute('data-sort');});th.setAttribute('data-sort',desc?'desc':'asc');sorted=i+(desc?'-desc':'');}"
    "function fromHash(){location.hash.slice(1).split('&').forEach(function(p){var kv=p.split('=');"
    "if(f.indexOf(kv[0])>=0)document.getElementById('f-'+kv[0]).value=decodeURIComponent(kv[1]||'');"
    "if(kv[0]==='sort')sort(parseInt(kv[1],10),/-desc$/.test(kv[1]||''));});}"
    "f.forEach(function(k){document.getElementById('f-'+k).addEventListener('change',apply);});"
    "document.querySelectorAll('#cases thead th').forEach(function(th,i){th.addEventListener('click',function(){"
    "sort(i,th.getAttribute('data-sort')==='asc');apply();});});"
    "window.addEventListener('hashchange',function(){fromHash();apply();});fromHash();apply();})();</script>";

const char* kTrackerStyle =
    "tr[hidden]{display:none}#cases th{cursor:pointer}.state-breached{color:#d4351c;font-weight:700}"
    ".state-at_risk{color:#b58840;font-weight:700}.filters label{margin-right:1rem}.movement td{text-align:right}"
    ".scroll{overflow-x:auto}.advice .state-overdue{color:#d4351c;font-weight:700}"
    "#cases td:nth-child(4),#cases td:nth-child(7){white-space:nowrap}";   // dates on one line

std::string label_of(const std::string& code) {
  std::string s = code;
  for (char& c : s)
    if (c == '_') c = ' ';
  return s;
}

// The clock's advice column ("kind:due:state;..."): one line per advice request.
std::string advice_cell(const std::string& advice) {
  std::string out;
  std::size_t at = 0;
  while (at < advice.size()) {
    const auto end = std::min(advice.find(';', at), advice.size());
    const std::string entry = advice.substr(at, end - at);
    const auto first = entry.find(':'), last = entry.rfind(':');
    if (first != std::string::npos && first != last)
      out += "<div class=\"state-" + esc(entry.substr(last + 1)) + "\">" + esc(label_of(entry.substr(0, first))) + ": " +
             esc(label_of(entry.substr(last + 1))) + ", due " + esc(entry.substr(first + 1, last - first - 1)) + "</div>";
    at = end + 1;
  }
  return out;
}

std::string movement_table(const ClinicWeek& w) {
  const std::pair<const char*, long Movement::*> lines[] = {
      {"Requests received", &Movement::received}, {"Decisions to assess", &Movement::to_assess},
      {"Decisions not to assess", &Movement::not_to_assess}, {"Plans issued", &Movement::issued},
      {"of which within 20 weeks", &Movement::issued_within_20}, {"New breaches", &Movement::new_breaches},
      {"Cases closed", &Movement::closed}};
  std::ostringstream t;
  t << "<table class=\"movement\" id=\"movement\"><tr><th></th><th class=\"n\">The week to " << esc(w.as_at())
    << "</th><th class=\"n\">The week before</th></tr>";
  for (const auto& [name, field] : lines)
    t << "<tr><td style=\"text-align:left\">" << name << "</td><td>" << w.week.*field << "</td><td>" << w.before.*field
      << "</td></tr>";
  auto share = [](const Movement& m) { return m.issued ? fmt(100.0 * static_cast<double>(m.issued_within_20) / static_cast<double>(m.issued), 1) + "%" : "–"; };
  t << "<tr><td style=\"text-align:left\">Share of plans within 20 weeks</td><td>" << share(w.week) << "</td><td>"
    << share(w.before) << "</td></tr></table>\n";
  return t.str();
}

std::string charts(const ClinicWeek& w) {
  const char* buckets[] = {"0–6 weeks", "6–16 weeks", "16–20 weeks", "20–52 weeks", "over 52 weeks"};
  std::vector<Bar> bars;
  for (std::size_t i = 0; i < w.caseload.size(); ++i)
    bars.push_back({buckets[i], static_cast<double>(w.caseload[i]), std::to_string(w.caseload[i]) + " open"});
  std::vector<std::string> labels;
  Series now{"Requests per week", {}, false}, mean{"4-week mean", {}, false}, last{"The same weeks a year earlier", {}, true};
  for (int i = ClinicWeek::kWeeks - 1; i >= 0; --i) {
    const auto at = static_cast<std::size_t>(i);
    labels.push_back(w.week_ends[at].size() == 10 ? w.week_ends[at].substr(8, 2) + "/" + w.week_ends[at].substr(5, 2) : w.week_ends[at]);
    now.values.emplace_back(static_cast<double>(w.weekly[at]));
    last.values.emplace_back(static_cast<double>(w.year_before[at]));
    if (i + 3 < ClinicWeek::kWeeks) {
      double sum = 0;
      for (std::size_t k = 0; k < 4; ++k) sum += static_cast<double>(w.weekly[static_cast<std::size_t>(i) + k]);
      mean.values.emplace_back(sum / 4);
    } else {
      mean.values.emplace_back();
    }
  }
  return bar_rows("chart-caseload", "Open requests by weeks since the request", bars, "") +
         trend_lines("chart-demand", "Requests received per week, the last 26 weeks (week ending)", labels, {now, mean, last}, "",
                     "");
}

}  // namespace

void write_tracker_page(sendhub::OutputFile& out, const plugin_support::SortedSpill& open_cases, const ClinicWeek& week,
                        const std::string& council) {
  // Two walks of the spill: the filters' values and the counts first, then the rows, written
  // in blocks, so the page costs no more memory than the CSV.
  std::map<std::string, std::set<std::string>> values;   // filter -> its values on the page
  std::map<std::string, long> states;
  long total = 0;
  auto fields = [](std::string_view line) {
    auto f = split(std::string(line.substr(0, line.size() >= 2 ? line.size() - 2 : line.size())));   // CRLF
    f.resize(kCols);
    return f;
  };
  open_cases.each([&](std::string_view, std::string_view line) {
    const auto f = fields(line);
    for (auto [name, col] : {std::pair{"team", kTeam}, {"officer", kOfficer}, {"stage", kStage}, {"state", kState}})
      if (!f[col].empty()) values[name].insert(f[col]);
    ++states[f[kState]];
    ++total;
  });
  std::ostringstream h;
  h << "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">"
    << "<title>Case tracker</title><style>" << page_style() << kTrackerStyle << "</style></head><body>\n"
    << "<h1>Open EHC needs assessments" << (council.empty() ? "" : ": " + esc(council)) << "</h1>\n<p class=\"note\">As at "
    << esc(week.as_at()) << ". " << total << " open requests: " << states["breached"] << " breached, " << states["at_risk"]
    << " at risk (a statutory step due within 14 days), " << states["on_track"]
    << " on track. Each case by its reference and person key only.</p>\n<h2>This week</h2>\n"
    << movement_table(week) << charts(week) << "<h2>Every open request</h2>\n<p class=\"filters\">";
  for (const char* k : kFilters) {
    h << "<label>" << label_of(k) << " <select id=\"f-" << k << "\"><option value=\"\">all</option>";
    for (const auto& v : values[k]) h << "<option value=\"" << esc(v) << "\">" << esc(label_of(v)) << "</option>";
    h << "</select></label>";
  }
  h << " <span id=\"shown\">" << total << "</span> of " << total << " shown</p>\n"
    << "<div class=\"scroll\"><table id=\"cases\"><thead><tr><th>Case</th><th>Person key</th><th>Stage</th><th>Received</th><th class=\"n\">Week</th>"
    << "<th>Next step</th><th>Due</th><th class=\"n\">Days left</th><th>State</th><th>Advice</th><th>Officer</th><th>Team</th>"
    << "</tr></thead><tbody>\n";
  std::string block = h.str();
  open_cases.each([&](std::string_view, std::string_view line) {
    const auto f = fields(line);
    block += "<tr data-team=\"" + esc(f[kTeam]) + "\" data-officer=\"" + esc(f[kOfficer]) + "\" data-stage=\"" + esc(f[kStage]) +
             "\" data-state=\"" + esc(f[kState]) + "\"><td>" + esc(f[kRef]) + "</td><td>" + esc(f[kPerson]) + "</td><td>" +
             esc(label_of(f[kStage])) + "</td><td>" + esc(f[kReceived]) + "</td><td class=\"n\">" + esc(f[kWeeks]) + "</td><td>" +
             esc(label_of(f[kStep])) + "</td><td>" + esc(f[kDue]) + "</td><td class=\"n\">" + esc(f[kLeft]) +
             "</td><td class=\"state-" + esc(f[kState]) + "\">" + esc(label_of(f[kState])) +
             (f[kWeek20] == "1" ? " <span class=\"note\">(exception)</span>" : "") + "</td><td class=\"advice\">" +
             advice_cell(f[kAdvice]) + "</td><td>" +
             esc(f[kOfficer]) + "</td><td>" + esc(f[kTeam]) + "</td></tr>\n";
    if (block.size() >= 65536) {
      out.write(block);
      block.clear();
    }
  });
  out.write(block);
  out.write(std::string("</tbody></table></div>\n") + kScript + label_self_check() + "</body></html>\n");
}

}  // namespace kpi
