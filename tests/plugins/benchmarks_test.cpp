// Issue 27: the council beside England, its region and its statistical neighbours, from the
// DfE's files as published (benchmarks.md). The sample generator writes two synthetic releases
// in the DfE's shape (a 2025 zip, a 2024 folder with the long series) and a neighbours workbook;
// the figures must come out exactly as those files hold them.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "benchmarks_out.h"
#include "dfe_release.h"
#include "neighbours.h"
#include "reference.h"
#include "test_support.h"
#include "xlsx_reader.h"

namespace sendhub {
namespace {

using test::TempDir;

const std::string kSchemas = SENDHUB_SOURCE_DIR "/schemas";
std::string census(int year) { return std::to_string(year) + "-01-15"; }

// The sample's releases, made once for the suite (the generator takes a second or two).
class Releases : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir;
    test::generate_sample(*dir_ / "s", 60);
  }
  static void TearDownTestSuite() { delete dir_; }
  static std::string dfe(const std::string& name) { return *dir_ / ("s/dfe/" + name); }
  static std::vector<std::string> both() {
    return {dfe("education-health-and-care-plans_2025.zip"), dfe("education-health-and-care-plans_2024")};
  }
  // The release's own CSV row for an area and year: column -> cell.
  static std::map<std::string, std::string> csv_row(const std::string& file, const std::string& year, const std::string& code) {
    std::ifstream in(file);
    std::string line;
    std::getline(in, line);
    const auto head = kpi::split(line.substr(3));   // after the byte-order mark
    while (std::getline(in, line)) {
      const auto row = kpi::split(line);
      std::map<std::string, std::string> out;
      for (std::size_t i = 0; i < head.size() && i < row.size(); ++i) out[head[i]] = row[i];
      if (out["time_period"] == year && out["old_la_code"] == code && out["breakdown_topic"].rfind("All", 0) == 0) return out;
    }
    return {};
  }
  static TempDir* dir_;
};
TempDir* Releases::dir_ = nullptr;

const kpi::Published* find(const std::vector<kpi::Published>& all, const std::string& measure, const std::string& start,
                           const std::string& level, const std::string& code) {
  for (const auto& p : all)
    if (p.measure == measure && p.period_start == start && p.level == level && p.area_code == code) return &p;
  return nullptr;
}

TEST_F(Releases, EachFigureIsTheNewestReleasesAsPublishedAndTheLongSeriesReachesBackTo2014) {
  auto n = kpi::read_neighbours(dfe("statistical-neighbours.xlsx"), "351");
  std::set<std::string> councils{"351"};
  for (const auto& x : n) councils.insert(x.code);
  const auto all = kpi::read_releases(both(), kSchemas, councils, census);
  // The 2022 figure for a neighbour: in both releases; the 2025 one (unzipped here by hand) stands.
  TempDir unzip;
  ASSERT_EQ(test::run("cd " + unzip.path() + " && python3 -m zipfile -e " + both()[0] + " .").code, 0);
  const auto want = csv_row(unzip / "data/requests.csv", "2022", n[0].code);
  ASSERT_FALSE(want.empty());
  const auto* got = find(all, "requests_received", "2022-01-01", "la", n[0].code);
  ASSERT_NE(got, nullptr);
  EXPECT_EQ(got->value, want.at("requests_received_in_year"));
  EXPECT_EQ(got->release, 2025);
  EXPECT_EQ(got->area_name, want.at("la_name")) << "a quoted name with a comma in it";
  const auto* rate = find(all, "request_decisions_within_6_weeks_pct", "2022-01-01", "la", n[0].code);
  ASSERT_NE(rate, nullptr);
  EXPECT_EQ(rate->value, want.at("request_outcome_six_weeks_pc"));
  if (kpi::is_figure(want.at("request_outcome_six_weeks")) && kpi::is_figure(want.at("request_outcome_over_6_weeks"))) {
    EXPECT_EQ(std::stol(rate->denominator),
              std::stol(want.at("request_outcome_six_weeks")) + std::stol(want.at("request_outcome_over_6_weeks")));
  }
  // The long series (sen2_mi.csv, 2024 release): plans issued back to 2014, for England too.
  const auto* old = find(all, "plans_issued", "2014-01-01", "england", "E92000001");
  ASSERT_NE(old, nullptr);
  EXPECT_EQ(old->release, 2024);
  EXPECT_EQ(old->value, csv_row(dfe("education-health-and-care-plans_2024/data/sen2_mi.csv"), "2014", "").at("new_all_ehc"));
  // The report-style tribunal table (supporting files): the council's 2020 appeal rate, with its
  // appeals and appealable decisions, and England's from 2014.
  const std::string table = unzip / "supporting-files/SEND Tribunals and appeal rate 2014-2024.csv";
  std::istringstream lines(test::read_file(table));
  std::vector<std::string> own, england;
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("Example Council (synthetic),351,", 0) == 0) own = kpi::split(line);
    if (line.rfind("England,,", 0) == 0) england = kpi::split(line);
  }
  ASSERT_FALSE(own.empty());
  const auto* appeal = find(all, "tribunal_appeal_rate", "2020-01-01", "la", "351");
  ASSERT_NE(appeal, nullptr);
  const std::size_t at2020 = 2 + 3 * (2020 - 2014);
  EXPECT_EQ(appeal->numerator, own[at2020]);
  EXPECT_EQ(appeal->denominator, own[at2020 + 1]);
  EXPECT_EQ(appeal->value + "%", own[at2020 + 2]);
  const auto* eng2014 = find(all, "tribunal_appeal_rate", "2014-01-01", "england", "E92000001");
  ASSERT_NE(eng2014, nullptr);
  EXPECT_EQ(eng2014->value + "%", england[4]);
  // A stock is dated by the January census of its academic year (202425 -> January 2025).
  bool stock = false;
  for (const auto& p : all) stock = stock || (p.measure == "active_plans" && p.as_at == census(2025) && p.period_start.empty());
  EXPECT_TRUE(stock);
  // Breakdown rows (Age) are not totals; councils not asked for are not kept.
  for (const auto& p : all) EXPECT_TRUE(p.level != "la" || councils.count(p.area_code)) << p.area_code;
}

TEST_F(Releases, AMarkerIsNeverAZeroAndTheMeanCountsOnlyFigures) {
  std::vector<kpi::Published> pub;
  auto add = [&](const std::string& level, const std::string& code, const std::string& value) {
    kpi::Published p;
    p.measure = "plans_within_20_weeks_incl_exceptions_pct";
    p.period_start = "2024-01-01";
    p.period_end = "2024-12-31";
    p.level = level;
    p.area_code = code;
    p.region_code = "E12000002";
    p.value = value;
    p.release = 2025;
    pub.push_back(p);
  };
  add("la", "351", "40.0");
  std::vector<kpi::Neighbour> n;
  const char* values[] = {"10.0", "x", "60.0", "c", "50.0", "low", "30.0", "z", "u", "70.0"};
  for (int k = 0; k < 10; ++k) {
    n.push_back({std::to_string(400 + k), k + 1, ""});
    add("la", std::to_string(400 + k), values[k]);
  }
  add("england", "E92000001", "49.2");
  const kpi::Labels labels(kSchemas);
  const std::vector<kpi::LiveFigure> live;
  const std::string csv = kpi::benchmarks_csv({pub, n, "351", live, labels});
  // Five figures: 10, 60, 50, 30, 70 -> mean 44.0, median 50.0; the council's 40 is 4th of 6 (higher is better).
  EXPECT_NE(csv.find(",neighbours_mean,,,44.0,,5,,\r\n"), std::string::npos) << csv;
  EXPECT_NE(csv.find(",neighbours_median,,,50.0,,5,,\r\n"), std::string::npos) << csv;
  EXPECT_NE(csv.find(",council,351,,40.0,,,2025,4/6\r\n"), std::string::npos) << csv;
  EXPECT_NE(csv.find(",neighbour,401,,x,,,2025,"), std::string::npos) << "the marker as published";
}

TEST_F(Releases, BadInputIsRefusedNamingFileLineAndColumn) {
  TempDir d;
  auto expect_error = [](const std::function<void()>& f, const std::string& part) {
    try {
      f();
      ADD_FAILURE() << "no error; wanted " << part;
    } catch (const Error& e) {
      EXPECT_NE(e.describe().find(part), std::string::npos) << e.describe();
    }
  };
  // Not a DfE data file: no leading columns.
  test::write_file(d / "education-health-and-care-plans_2025/data/requests.csv", "\xEF\xBB\xBFyear,requests\n2024,5\n");
  expect_error([&] { kpi::read_releases({d / "education-health-and-care-plans_2025"}, kSchemas, {"351"}, census); },
               "requests.csv:1: time_period: not a DfE data file: it has no column time_period");
  // A layout the map does not know: a mapped column renamed.
  const std::string head = "time_period,time_identifier,geographic_level,country_code,country_name,region_code,region_name,"
                           "new_la_code,old_la_code,la_name,breakdown_topic,breakdown,";
  test::write_file(d / "education-health-and-care-plans_2025/data/requests.csv",
                   head + "requests_received_in_the_year,requests_decided_to_assess\n");
  expect_error([&] { kpi::read_releases({d / "education-health-and-care-plans_2025"}, kSchemas, {"351"}, census); },
               "requests.csv:1: request_outcome_six_weeks_pc: column not in the file (request_outcome_six_weeks_pc, request_outcome_six_weeks, request_outcome_over_6_weeks, requests_received_in_year");
  // A name without a year; a folder that holds none of the files.
  std::filesystem::create_directories(d / "ehcp-release/data");
  expect_error([&] { kpi::read_releases({d / "ehcp-release"}, kSchemas, {"351"}, census); }, "its name holds no year");
  std::filesystem::create_directories(d / "other_2025/data");
  expect_error([&] { kpi::read_releases({d / "other_2025"}, kSchemas, {"351"}, census); }, "not a DfE release");
  // A council the files do not hold.
  const auto all = kpi::read_releases(both(), kSchemas, {"999"}, census);
  const kpi::Labels labels(kSchemas);
  const std::vector<kpi::Neighbour> none;
  const std::vector<kpi::LiveFigure> live;
  expect_error([&] { kpi::benchmarks_csv({all, none, "999", live, labels}); }, "council 999 (la.code) is in none of the releases");
  // Neighbours: a council with nine; a council not in the workbook; a CSV with a rank missing.
  expect_error([&] { kpi::read_neighbours(dfe("statistical-neighbours.xlsx"), "998"); }, "council 998 is not in the workbook");
  test::write_file(d / "n.csv", "la_code,neighbour_code,rank\n351,201,1\n351,202,2\n");
  expect_error([&] { kpi::read_neighbours(d / "n.csv", "351"); }, "no neighbour of rank 3");
  // A workbook row with an empty SN10: rewrite the sheet part with the last neighbour gone.
  const auto rows = plugin_support::read_sheet(dfe("statistical-neighbours.xlsx"), "LA SN Groups");
  EXPECT_EQ(rows[2].cells[2], "LA number");
  EXPECT_EQ(rows[3].cells[2], "351");
  TempDir x;
  ASSERT_EQ(test::run("cd " + x.path() + " && python3 -m zipfile -e " + dfe("statistical-neighbours.xlsx") + " . && "
                      "python3 -c \"import re;p='xl/worksheets/sheet2.xml';s=open(p).read();"
                      "s=re.sub(r'<c r=\\\"X4\\\"><v>[0-9]+</v></c>','',s,1);open(p,'w').write(s)\" && "
                      "python3 -c \"import zipfile,os;z=zipfile.ZipFile('short.xlsx','w');"
                      "[z.write(os.path.join(r,f),os.path.relpath(os.path.join(r,f))) for r,_,fs in os.walk('.') for f in fs if f!='short.xlsx']\"")
                .code, 0);
  expect_error([&] { kpi::read_neighbours(x / "short.xlsx", "351"); }, "short.xlsx:4: X: neighbours_file: council 351 has fewer than ten neighbours: SN10");
  expect_error([&] { plugin_support::read_sheet(dfe("statistical-neighbours.xlsx"), "Nope"); }, "has no sheet \"Nope\"");
  expect_error([&] { plugin_support::read_sheet(d / "n.csv", ""); }, "not a zip file");
}

// The demo: the council beside England, its region and ten neighbours, each exactly as the
// files give it, the mean and the rank computed, England beside each KPI from the same data.
TEST(BenchmarksDemo, TheDemoCouncilSitsBesideEnglandItsRegionAndTenNeighbours) {
  TempDir dir;
  const std::string cfg = test::demo_config(dir, 80);
  auto r = test::sendhub("run --as-at 2026-01-15 --config " + cfg);
  ASSERT_LE(r.code, 1) << r.output;
  const std::string csv = test::read_file(dir / "var/out/kpis/benchmarks.csv");
  std::map<std::string, int> kinds;
  std::vector<double> neighbours;
  std::string mean;
  std::istringstream in(csv);
  for (std::string line; std::getline(in, line);) {
    const auto f = kpi::split(line);
    if (f[0] != "requests_received" || f[1] != "2024-01-01") continue;
    ++kinds[f[4]];
    if (f[4] == "neighbour" && kpi::is_figure(f[7])) neighbours.push_back(std::stod(f[7]));
    if (f[4] == "neighbours_mean") mean = f[7];
  }
  EXPECT_EQ(kinds["council"], 1);
  EXPECT_EQ(kinds["live"], 1) << "the council's own count for 2024";
  EXPECT_EQ(kinds["england"], 1);
  EXPECT_EQ(kinds["region"], 1);
  EXPECT_EQ(kinds["neighbour"], 10);
  ASSERT_FALSE(neighbours.empty());
  double sum = 0;
  for (double v : neighbours) sum += v;
  char want[32];
  std::snprintf(want, sizeof want, "%.1f", sum / static_cast<double>(neighbours.size()));
  EXPECT_EQ(mean, want);
  EXPECT_NE(csv.find("requests_received,2014-01-01") == std::string::npos ? csv.find("plans_issued,2014-01-01")
                                                                         : csv.find("requests_received,2014-01-01"),
            std::string::npos) << "the long series reaches 2014";
  EXPECT_NE(csv.find(",council,351,Example Council (synthetic),"), std::string::npos);
  const std::string own = test::read_file(dir / "var/out/kpis/published_vs_own.csv");
  EXPECT_NE(own.find("requests_received,2024-01-01,2024-12-31,,"), std::string::npos) << own;
  const std::string page = test::read_file(dir / "var/out/kpis/scorecard.html");
  EXPECT_NE(page.find("DfE, Education, health and care plans, 2025 release"), std::string::npos) << "England from the releases";
  EXPECT_EQ(std::filesystem::status(dir / "var/out/kpis/benchmarks.csv").permissions() & std::filesystem::perms::others_read,
            std::filesystem::perms::none);
}

}  // namespace
}  // namespace sendhub
