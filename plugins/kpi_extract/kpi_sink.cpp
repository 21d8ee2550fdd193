// kpi_sink.cpp: the kpi_extract sink: kpis.csv, kpis.json and labels.csv (interfaces.md §6),
// open_cases.csv and reviews_due.csv (measures.md §4), forecast.csv (§5) and scorecard.html,
// all into one folder, published together; each snapshot's rows kept in the store's history.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <memory>
#include <regex>
#include <set>
#include <sstream>

#include "alerts_sink.h"
#include "benchmarks_out.h"
#include "clinic_week.h"
#include "forecast.h"
#include "kpi_files.h"
#include "labels.h"
#include "census_facts.h"
#include "census_measures.h"
#include "place_breakdowns.h"
#include "population_file.h"
#include "reference.h"
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
  long total = 0;
  for (const auto& [age, people] : read_population(file, "population_file", "age,population")) {
    if (age.find_first_not_of("0123456789") != std::string::npos || age.size() > 3)
      throw Error(Where{file, 0, ""}, "population_file", "kpi.population", "rows must be age,population");
    if (std::stoi(age) <= 25) total += people;
  }
  return total;
}

void write(sendhub::SinkContext& ctx, const std::string& dir, const std::string& name, const std::string& content) {
  auto f = ctx.create_output(dir + "/" + name);
  f->write(content);
  f->commit();
}

// The as-at dates to back-fill (sink key snapshots: month_end or quarter_end): the ends of
// the months or quarters of the two years before the as-at date, each with the twelve
// months to it as its period.
std::vector<Period> snapshot_periods(const sendhub::SinkContext& ctx, const Period& p) {
  const std::string kind = ctx.settings().has("snapshots") ? ctx.settings().text("snapshots") : "";
  std::vector<Period> out;
  if (kind.empty()) return out;
  if (kind != "month_end" && kind != "quarter_end")
    throw Error(Where{}, "snapshots", "kpi.snapshots", "must be month_end or quarter_end");
  const int step = kind == "month_end" ? 1 : 3;
  const std::string first_of_month = p.as_at.substr(0, 8) + "01";
  for (int back = 0; back < 24; back += 1) {
    const std::string next_month = ctx.add_months(first_of_month, -back);
    const std::string end = ctx.from_day_number(*ctx.day_number(next_month) - 1);   // the month before's last day
    const int month = std::stoi(end.substr(5, 2));
    if (month % step != 0 || end >= p.as_at) continue;
    out.push_back({ctx.from_day_number(*ctx.day_number(ctx.add_months(end, -12)) + 1), end, end});
  }
  return out;
}

// One as-at date's measures, added up person by person.
struct Snapshot {
  Snapshot(const std::string& schemas_dir, const Period& period) : p(period), flow(schemas_dir, period), stock(period) {}
  Period p;
  Sheet sheet;
  FlowMeasures flow;
  StockMeasures stock;
  void add(const Model& m, const FlowFacts& facts) {
    flow.add(m, facts, sheet);
    stock.add(m, sheet);
  }
  std::vector<Row> rows(const sendhub::SinkContext& ctx, long population, const Labels& labels) {
    flow.finish(ctx, sheet);
    stock.finish(population, sheet);
    // Every value of a closed breakdown list has its row, zero included (interfaces.md §6).
    const auto order = measure_order(ctx.schemas_dir());
    for (const auto& f : flow.flows())
      for (const auto& b : f.breakdowns)
        if (auto values = labels.closed_values(f.id, b)) sheet.fill(f.id, b, *values);
    for (const auto& [id, l] : labels.measures())
      for (const auto& b : l.breakdowns)
        if (auto values = labels.closed_values(id, b)) sheet.fill(id, b, *values);
    return sheet.rows(order);
  }
};

// The DfE's releases and the statistical neighbours, when configured (benchmarks.md): what they
// publish for the council, England, its region and its neighbours, and one snapshot per
// calendar year from the earliest published to the last complete one, for its own figures.
struct Comparators {
  std::vector<Neighbour> neighbours;
  std::vector<Published> published;
  std::vector<Snapshot> years;
};

Comparators comparators(const sendhub::SinkContext& ctx, const Period& p) {
  Comparators c;
  const auto& s = ctx.settings();
  if (!s.has("dfe_releases")) {
    if (s.has("neighbours_file")) throw Error(Where{}, "neighbours_file", "config", "needs dfe_releases: the figures to compare");
    return c;
  }
  const std::string council = ctx.la_code();
  if (council.empty()) throw Error(Where{}, "dfe_releases", "config", "needs la.code: the council to find in the DfE's files");
  std::set<std::string> councils{council};
  if (s.has("neighbours_file"))
    for (const auto& n : c.neighbours = read_neighbours(s.path("neighbours_file"), council)) councils.insert(n.code);
  const auto releases = s.glob("dfe_releases");
  if (releases.empty()) throw Error(Where{s.path("dfe_releases"), 0, ""}, "dfe_releases", "dfe.release", "no release matches");
  c.published = read_releases(releases, ctx.schemas_dir(), councils, [&ctx](int y) { return ctx.census_day(y); });
  int first = 0;
  for (const auto& q : c.published)
    if (!q.period_start.empty() && (!first || std::stoi(q.period_start.substr(0, 4)) < first)) first = std::stoi(q.period_start.substr(0, 4));
  for (int y = first; first && std::to_string(y) + "-12-31" <= p.as_at; ++y)
    c.years.emplace_back(ctx.schemas_dir(), Period{std::to_string(y) + "-01-01", std::to_string(y) + "-12-31", ctx.census_day(y + 1)});
  return c;
}

// The council's own figures for the compared years, keyed as the DfE keys them; only years its
// dataset covers from the start (its first request on or before 1 January).
std::vector<LiveFigure> live_figures(Comparators& c, const sendhub::SinkContext& ctx, const Labels& labels,
                                     const std::string& earliest, const Period& p) {
  std::set<std::string> measures, stocks;
  for (const auto& q : c.published) {
    measures.insert(q.measure);
    if (!q.as_at.empty()) stocks.insert(q.measure);
  }
  std::vector<LiveFigure> out;
  for (auto& y : c.years) {
    if (earliest.empty() || y.p.start < earliest) continue;
    for (const auto& r : y.rows(ctx, 0, labels)) {
      if (!r.breakdown.empty() || !measures.count(r.measure)) continue;
      const bool stock = stocks.count(r.measure) > 0;
      if (stock && y.p.as_at > p.as_at) continue;   // that census day is still to come
      out.push_back({r.measure, stock ? "" : y.p.start, stock ? "" : y.p.end, stock ? y.p.as_at : "", r.value(),
                     std::to_string(r.numerator), r.denominator ? std::to_string(*r.denominator) : ""});
    }
  }
  return out;
}

// The extra breakdowns the configuration asks for (`breakdowns`: nc_year, ward).
bool wants_breakdown(const sendhub::Settings& s, const std::string& name) {
  return s.has("breakdowns") && s.json("breakdowns").find("\"" + name + "\"") != std::string::npos;
}

std::unique_ptr<plugin_support::PostcodeDirectory> postcode_directory(sendhub::SinkContext& ctx) {
  const auto& s = ctx.settings();
  if (!wants_breakdown(s, "ward")) return nullptr;
  try {
    auto d = std::make_unique<plugin_support::PostcodeDirectory>(
        s.path("postcode_directory"), s.has("ward_names") ? s.path("ward_names") : "",
        s.has("ward_local_authority") ? s.text("ward_local_authority") : "");
    ctx.log(sendhub::LogLevel::info, "the ONS directory holds " + std::to_string(d->size()) + " entries (" +
                                         std::to_string(d->terminated()) + " terminated)");
    return d;
  } catch (const std::runtime_error& e) {
    throw sendhub::Error(sendhub::Where{s.path("postcode_directory"), 0, ""}, "postcode_directory", "ons.directory", e.what());
  }
}

class KpiSink final : public sendhub::Sink {
 public:
  void check(const sendhub::Settings& s) override {
    const std::string b = s.has("breakdowns") ? s.json("breakdowns") : "";
    if (b.find("\"ward\"") != std::string::npos && !s.has("postcode_directory"))
      throw sendhub::Error(sendhub::Where{}, "postcode_directory", "config.value",
                           "the ward breakdown needs postcode_directory (the ONS postcode directory, ONSPD or NSPL CSV)");
    if (s.has("ward_population_file") && b.find("\"ward\"") == std::string::npos)
      throw sendhub::Error(sendhub::Where{}, "ward_population_file", "config.value", "ward_population_file needs the ward breakdown");
    const std::string rest = std::regex_replace(b, std::regex(R"(\s|"nc_year"|"ward"|,|\[|\])"), "");
    if (!rest.empty())
      throw sendhub::Error(sendhub::Where{}, "breakdowns", "config.value", "breakdowns lists nc_year and ward, and nothing else");
  }

  // One pass over the dataset, person by person: every measure of every snapshot, list and
  // chart adds up as it goes, so nothing of the dataset is held.
  void write(sendhub::SinkContext& ctx) override {
    const auto& s = ctx.settings();
    const Period p = period_of(ctx);
    const Labels labels(ctx.schemas_dir());
    const Targets targets = s.has("targets_file") ? Targets(s.path("targets_file")) : Targets();
    Benchmarks benchmarks = s.has("benchmarks_file") ? Benchmarks(s.path("benchmarks_file")) : Benchmarks();
    Comparators compare = comparators(ctx, p);
    std::vector<Snapshot> snapshots;
    snapshots.emplace_back(ctx.schemas_dir(), p);
    for (const auto& earlier : snapshot_periods(ctx, p)) snapshots.emplace_back(ctx.schemas_dir(), earlier);
    const auto wards = postcode_directory(ctx);
    PlaceBreakdowns places(p, wants_breakdown(s, "nc_year"), wants_breakdown(s, "ward") ? wards.get() : nullptr);
    CensusMeasures census(p.as_at, ctx.add_months(p.as_at, -plugin_support::kRecentCensusMonths), places);
    Tracker tracker(p.as_at);
    ClinicWeek week(p.as_at);
    Forecast forecast(p.as_at);
    ScorecardCounts charts(ctx, p);
    long cases = 0;
    ctx.each_person({}, [&](sendhub::PersonGroup& group) {
      const Model model(ctx, group);
      const FlowFacts facts(snapshots[0].flow.flows(), model);
      for (auto& snapshot : snapshots) snapshot.add(model, facts);
      if (places.any()) places.add(model, snapshots[0].sheet);
      census.add(model, group, snapshots[0].sheet);
      for (auto& year : compare.years) year.add(model, facts);
      tracker.add(model);
      week.add(model);
      forecast.add(model);
      charts.add(model);
      cases += static_cast<long>(model.cases().size());
    });
    const long people = population(ctx);
    if (!people) ctx.log(sendhub::LogLevel::warning, "ehcp_prevalence_per_10k left out: no population_file configured");
    places.finish(snapshots[0].sheet);
    if (s.has("ward_population_file"))
      places.prevalence(snapshots[0].sheet, read_population(s.path("ward_population_file"), "ward_population_file",
                                                            "ward,population (the ward's ONS code and a whole number)"));
    census.finish(ctx, snapshots[0].sheet);
    if (wards) ctx.log(sendhub::LogLevel::info, "ward breakdown: " + std::to_string(places.unknown_wards()) +
                                                    " counted under UNKNOWN (no postcode, or one the directory lacks)");
    std::vector<Row> rows;
    for (std::size_t i = 0; i < snapshots.size(); ++i) {
      auto snapshot_rows = snapshots[i].rows(ctx, people, labels);
      // A back-filled snapshot is kept only when the data covers its whole period.
      if (i > 0 && (charts.earliest_received.empty() || snapshots[i].p.start < charts.earliest_received)) continue;
      ctx.keep_measures(measure_rows(snapshot_rows, snapshots[i].p));
      if (i == 0) rows = std::move(snapshot_rows);
    }
    const auto history = ctx.measure_history();
    const std::string dir = s.path("out");
    kpi::write(ctx, dir, "kpis.csv", kpis_csv(rows, p, targets, labels));
    kpi::write(ctx, dir, "kpis.json", kpis_json(rows, p, targets, labels));
    kpi::write(ctx, dir, "labels.csv", labels_csv(labels));
    for (const auto& [name, list] : {std::pair{"open_cases.csv", &Tracker::write_open_cases},
                                     std::pair{"reviews_due.csv", &Tracker::write_reviews_due}}) {
      auto f = ctx.create_output(dir + "/" + name);
      (tracker.*list)(*f);
      f->commit();
    }
    auto page = ctx.create_output(dir + "/tracker.html");
    tracker.write_page(*page, week, s.text("council"));
    page->commit();
    kpi::write(ctx, dir, "forecast.csv", forecast.csv(ctx));
    std::vector<Trend> trend_charts;
    if (!compare.published.empty()) {
      const auto live = live_figures(compare, ctx, labels, charts.earliest_received, p);
      const Comparison c{compare.published, compare.neighbours, ctx.la_code(), live, labels};
      kpi::write(ctx, dir, "benchmarks.csv", benchmarks_csv(c));
      kpi::write(ctx, dir, "published_vs_own.csv", published_vs_own_csv(c));
      benchmarks.add_published(compare.published, ctx.la_code());
      trend_charts = trends(c, {"requests_received", "plans_within_20_weeks_incl_exceptions_pct", "active_plans",
                                "request_decisions_within_6_weeks_pct"});
    }
    kpi::write(ctx, dir, "scorecard.html",
               scorecard_html({charts, p, rows, s.text("council"), labels, targets, benchmarks, history,
                               forecast.chart(ctx), ctx.data_quality(), trend_charts}));
    ctx.log(sendhub::LogLevel::info, "wrote KPIs for " + p.start + " to " + p.end + " (as at " + p.as_at + "): " +
                                         std::to_string(rows.size()) + " rows, " + std::to_string(cases) + " cases, " +
                                         std::to_string(history.size()) + " rows of history, into " + s.text("out"));
  }
};

void register_kpi(sendhub::Registry& registry) {
  sendhub::ConnectorInfo info;
  info.name = "kpi_extract";
  info.version = "1.0.0";
  info.description = "KPI extract, case tracker, reviews due, forecast and scorecard (measures.md)";
  info.sink_keys = {
      {"out", "path", true, "", false, "folder for kpis.csv, kpis.json, open_cases.csv, tracker.html, reviews_due.csv, forecast.csv, scorecard.html"},
      {"year", "integer", false, "", false, "report the calendar year YYYY (default: the twelve months to the as-at date)"},
      {"from", "string", false, "", false, "period start YYYY-MM-DD (with to)"},
      {"to", "string", false, "", false, "period end YYYY-MM-DD"},
      {"as_at", "string", false, "", false, "as-at date for stock measures (default: the period's end, or the run's date)"},
      {"population_file", "path", false, "", false, "CSV age,population of residents; ages 0-25 give ehcp_prevalence_per_10k"},
      {"council", "string", false, "", false, "name on the scorecard"},
      {"targets_file", "path", false, "", false, "CSV measure,target,amber: a target and amber tolerance per measure (RAG)"},
      {"benchmarks_file", "path", false, "", false, "CSV area,measure,period_start,period_end,as_at,value,source: England and comparators"},
      {"snapshots", "string", false, "", false, "back-fill KPI history: month_end or quarter_end snapshots of the two years before"},
      {"dfe_releases", "glob", false, "", false, "the DfE's EHC plan statistics releases (zips as downloaded, or their folders): benchmarks.csv, published_vs_own.csv, England beside each KPI"},
      {"neighbours_file", "path", false, "", false, "the DfE's statistical neighbours workbook (.xlsx) or CSV la_code,neighbour_code,rank"},
      {"breakdowns", "object", false, "", false, "extra breakdowns of active_plans and requests_received: [\"nc_year\", \"ward\"]"},
      {"postcode_directory", "path", false, "", false, "the ONS postcode directory (ONSPD or NSPL CSV, any vintage) for the ward breakdown"},
      {"ward_names", "path", false, "", false, "the ONS ward lookup CSV (WDNNCD,WDNNNM,...)"},
      {"ward_local_authority", "string", false, "", false, "keep only this local authority's postcodes (ONS code, e.g. E08000027)"},
      {"ward_population_file", "path", false, "", false, "CSV ward,population (residents aged 0-25): ehcp_prevalence_per_10k by ward"},
  };
  info.make_sink = [] { return std::make_unique<KpiSink>(); };
  registry.add(std::move(info));
  register_alerts(registry);
}

}  // namespace
}  // namespace kpi

SENDHUB_PLUGIN(kpi::register_kpi)
