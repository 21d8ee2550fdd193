// kpi_sink.cpp: the kpi_extract sink: kpis.csv and kpis.json (interfaces.md §6),
// open_cases.csv and reviews_due.csv (measures.md §4), forecast.csv (§5) and
// scorecard.html, all into one folder, each written whole or not at all.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <fstream>
#include <sstream>

#include "forecast.h"
#include "sendhub/csv.h"
#include "measures.h"
#include "scorecard.h"
#include "tracker.h"

namespace kpi {
namespace {

using sendhub::Error;
using sendhub::Where;

// --year, else --from/--to, else the twelve months to the as-at date. Stock measures are
// as at the period's end unless an as-at date is given.
Period period_of(const sendhub::SinkContext& ctx) {
  const auto& s = ctx.settings();
  Period p;
  if (s.has("year")) {
    p.start = std::to_string(s.integer("year")) + "-01-01";
    p.end = std::to_string(s.integer("year")) + "-12-31";
  } else if (s.has("from") || s.has("to")) {
    p.start = s.text("from");
    p.end = s.text("to");
  }
  p.as_at = s.has("as_at") ? s.text("as_at") : p.end.empty() ? ctx.as_at() : p.end;
  if (p.end.empty()) {
    p.end = p.as_at;
    p.start = ctx.from_day_number(*ctx.day_number(ctx.add_months(p.as_at, -12)) + 1);
  }
  for (const auto& [key, date] : {std::pair{"from", p.start}, {"to", p.end}, {"as_at", p.as_at}})
    if (!ctx.day_number(date)) throw Error(Where{}, key, "kpi.period", "not a date written YYYY-MM-DD");
  if (p.end < p.start) throw Error(Where{}, "to", "kpi.period", "the period ends before it starts");
  return p;
}

// Residents aged 0-25 from a CSV "age,population"; 0 when none is configured.
long population(const sendhub::SinkContext& ctx) {
  if (!ctx.settings().has("population_file")) return 0;
  const std::string file = ctx.settings().path("population_file");
  std::ifstream in(file);
  if (!in) throw Error(Where{file, 0, ""}, "population_file", "kpi.population", "cannot read the population file");
  std::string line;
  long total = 0;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    auto comma = line.find(',');
    if (comma == std::string::npos) continue;
    try {
      if (int age = std::stoi(line.substr(0, comma)); age >= 0 && age <= 25) total += std::stol(line.substr(comma + 1));
    } catch (const std::exception&) {
      throw Error(Where{file, 0, ""}, "population_file", "kpi.population", "rows must be age,population");
    }
  }
  return total;
}

std::string csv(const std::vector<Row>& rows, const Period& p) {
  using sendhub::csv::row;
  std::string out = row({"measure", "period_start", "period_end", "as_at", "breakdown", "breakdown_value", "numerator",
                         "denominator", "value"});
  for (const auto& r : rows)
    out += row({r.measure, p.start, p.end, p.as_at, r.breakdown, r.breakdown_value, std::to_string(r.numerator),
                r.denominator ? std::to_string(*r.denominator) : "", r.value()});
  return out;
}

std::string json(const std::vector<Row>& rows, const Period& p) {
  Poco::JSON::Array out;
  for (const auto& r : rows) {
    Poco::JSON::Object o(Poco::JSON_PRESERVE_KEY_ORDER);
    o.set("measure", r.measure);
    o.set("period_start", p.start);
    o.set("period_end", p.end);
    o.set("as_at", p.as_at);
    o.set("breakdown", r.breakdown);
    o.set("breakdown_value", r.breakdown_value);
    o.set("numerator", r.numerator);
    o.set("denominator", r.denominator ? Poco::Dynamic::Var(*r.denominator) : Poco::Dynamic::Var());
    const std::string v = r.value();
    o.set("value", v.empty() ? Poco::Dynamic::Var() : Poco::Dynamic::Var(std::stod(v)));
    out.add(o);
  }
  std::ostringstream s;
  out.stringify(s);
  return s.str() + "\n";
}

void write(sendhub::SinkContext& ctx, const std::string& dir, const std::string& name, const std::string& content) {
  auto f = ctx.create_output(dir + "/" + name);
  f->write(content);
  f->commit();
}

class KpiSink final : public sendhub::Sink {
 public:
  // One pass over the dataset, person by person: every measure, list and chart adds up
  // as it goes, so nothing of the dataset is held.
  void write(sendhub::SinkContext& ctx) override {
    const Period p = period_of(ctx);
    Sheet sheet;
    FlowMeasures flow(ctx.schemas_dir(), p);
    StockMeasures stock(p);
    Tracker tracker(p.as_at);
    Forecast forecast(p.as_at);
    ScorecardCounts charts(ctx, p);
    long cases = 0;
    ctx.each_person({}, [&](sendhub::PersonGroup& group) {
      const Model model(ctx, group);
      flow.add(model, sheet);
      stock.add(model, sheet);
      tracker.add(model);
      forecast.add(model);
      charts.add(model);
      cases += static_cast<long>(model.cases().size());
    });
    const long people = population(ctx);
    flow.finish(ctx, sheet);
    stock.finish(people, sheet);
    if (!people) ctx.log(sendhub::LogLevel::warning, "ehcp_prevalence_per_10k left out: no population_file configured");
    const auto rows = sheet.rows(measure_order(ctx.schemas_dir()));
    const std::string dir = ctx.settings().path("out");
    kpi::write(ctx, dir, "kpis.csv", csv(rows, p));
    kpi::write(ctx, dir, "kpis.json", json(rows, p));
    kpi::write(ctx, dir, "open_cases.csv", tracker.open_cases_csv());
    kpi::write(ctx, dir, "reviews_due.csv", tracker.reviews_due_csv());
    kpi::write(ctx, dir, "forecast.csv", forecast.csv(ctx));
    kpi::write(ctx, dir, "scorecard.html", scorecard_html(charts, p, rows, ctx.settings().text("council")));
    ctx.log(sendhub::LogLevel::info, "wrote KPIs for " + p.start + " to " + p.end + " (as at " + p.as_at + "): " +
                                         std::to_string(rows.size()) + " rows, " + std::to_string(cases) +
                                         " cases, into " + ctx.settings().text("out"));
  }
};

void register_kpi(sendhub::Registry& registry) {
  sendhub::ConnectorInfo info;
  info.name = "kpi_extract";
  info.version = "1.0.0";
  info.description = "KPI extract, case tracker, reviews due, forecast and scorecard (measures.md)";
  info.sink_keys = {
      {"out", "path", true, "", false, "folder for kpis.csv, kpis.json, open_cases.csv, reviews_due.csv, forecast.csv, scorecard.html"},
      {"year", "integer", false, "", false, "report the calendar year YYYY (default: the twelve months to the as-at date)"},
      {"from", "string", false, "", false, "period start YYYY-MM-DD (with to)"},
      {"to", "string", false, "", false, "period end YYYY-MM-DD"},
      {"as_at", "string", false, "", false, "as-at date for stock measures (default: the period's end, or the run's date)"},
      {"population_file", "path", false, "", false, "CSV age,population of residents; ages 0-25 give ehcp_prevalence_per_10k"},
      {"council", "string", false, "", false, "name on the scorecard"},
  };
  info.make_sink = [] { return std::make_unique<KpiSink>(); };
  registry.add(std::move(info));
}

}  // namespace
}  // namespace kpi

SENDHUB_PLUGIN(kpi::register_kpi)
