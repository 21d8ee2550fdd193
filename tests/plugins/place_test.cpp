// Issue 29.2: the national curriculum year from the birth date, the ward from the ONS postcode
// directory in the shapes ONS has published it, and the nc_year and ward breakdowns of the KPIs
// on a casework history whose every child's year and ward are known by hand.
#include <gtest/gtest.h>

#include <map>
#include <sstream>

#include "clinic_fixture.h"
#include "nc_year.h"
#include "postcode_directory.h"
#include "reference.h"

namespace sendhub {
namespace {

using plugin_support::nc_year;

TEST(NcYear, FromTheBirthDateByEnglandsAcademicYear) {
  EXPECT_EQ(nc_year("2014-09-01", "2026-01-15"), 6);    // born on the first day of the academic year
  EXPECT_EQ(nc_year("2014-08-31", "2026-01-15"), 7);    // a day earlier: the year above
  EXPECT_EQ(nc_year("2020-09-01", "2025-09-01"), 0);    // reception on its first day
  EXPECT_EQ(nc_year("2020-09-01", "2025-08-31"), -1);   // nursery the day before
  EXPECT_EQ(nc_year("2010-01-01", "2026-01-15"), 11);
  EXPECT_EQ(nc_year("2001-06-01", "2026-01-15"), 20);   // 24 years old: the last year a plan reaches
  EXPECT_EQ(nc_year("", "2026-01-15"), std::nullopt);
  EXPECT_EQ(nc_year("2014-13-01", "2026-01-15"), std::nullopt);
  EXPECT_EQ(plugin_support::nc_year_value("1990-01-01", "2026-01-15"), "UNKNOWN") << "beyond the list: unknown";
}

// The same three postcodes in three vintages' shapes.
const char* kOnspd2020 = "pcd,pcd2,pcds,dointr,doterm,oscty,ced,oslaua,osward,usertype\n"
                         "B1  1AA,B1  1AA,B1 1AA,198001,,E99999999,,E08000025,E05011111,0\n"
                         "DY1 1AA,DY1  1AA,DY1 1AA,198001,201905,E99999999,,E08000027,E05001234,0\n"
                         "DY1 1AB,DY1  1AB,DY1 1AB,198001,,E99999999,,E08000027,E05001234,0\n";
const char* kNspl2019 = "\xEF\xBB\xBFpcd,pcd2,pcds,dointr,doterm,usertype,oseast1m,osnrth1m,laua,ward\n"
                        "B1  1AA,B1  1AA,B1 1AA,198001,,0,1,1,E08000025,E05011111\n"
                        "DY1 1AA,DY1  1AA,DY1 1AA,198001,201905,0,1,1,E08000027,E05001234\n";
const char* kOnspd2025 = "pcd7,pcd8,pcds,dointr,doterm,lad25cd,wd24cd,wd25cd\n"
                         "B1  1AA,B1  1AA,B1 1AA,198001,,E08000025,E05000001,E05011111\n"
                         "DY1 1AA,DY1  1AA,DY1 1AA,198001,,E08000027,E05000002,E05001234\n"
                         "DY1 1AB,DY1  1AB,DY1 1AB,198001,,E08000027,E05000002,E05001235\n";
const char* kWards = "WD25CD,WD25NM,LAD25CD,LAD25NM\nE05011111,Ladywood,E08000025,Birmingham\n"
                     "E05001234,\"Castle and Priory\",E08000027,Dudley\n";

TEST(PostcodeDirectory, ReadsEveryVintagesHeaderAndNamesTheWards) {
  test::TempDir dir;
  for (const auto& [name, text] : {std::pair{"onspd2020.csv", kOnspd2020}, {"nspl2019.csv", kNspl2019}, {"onspd2025.csv", kOnspd2025}})
    test::write_file(dir / name, text);
  test::write_file(dir / "wards.csv", kWards);
  const plugin_support::PostcodeDirectory old(dir / "onspd2020.csv", dir / "wards.csv");
  EXPECT_EQ(old.ward("b1 1aa"), "E05011111");
  EXPECT_EQ(old.ward("DY11AA"), "E05001234") << "a terminated postcode keeps its last ward";
  EXPECT_EQ(old.terminated(), 1u);
  EXPECT_EQ(old.ward("ZZ9 9ZZ"), "");
  EXPECT_EQ(old.name("E05001234"), "Castle and Priory");
  EXPECT_EQ(old.name("E05999999"), "E05999999");
  const plugin_support::PostcodeDirectory nspl(dir / "nspl2019.csv", "");
  EXPECT_EQ(nspl.ward("B1 1AA"), "E05011111");
  const plugin_support::PostcodeDirectory now(dir / "onspd2025.csv", "", "E08000027");
  EXPECT_EQ(now.ward("DY1 1AB"), "E05001235") << "the newest ward column";
  EXPECT_EQ(now.ward("B1 1AA"), "") << "another local authority's postcode is left out";
  EXPECT_EQ(now.size(), 2u);
  test::write_file(dir / "bad.csv", "postcode,ward_name\nB1 1AA,x\n");
  EXPECT_THROW(plugin_support::PostcodeDirectory(dir / "bad.csv", ""), std::runtime_error);
}

// (breakdown value -> numerator) of a measure's rows in kpis.csv.
std::map<std::string, std::string> breakdown(const std::string& kpis, const std::string& measure, const std::string& by) {
  std::map<std::string, std::string> out;
  std::istringstream in(kpis);
  std::string line;
  std::getline(in, line);
  const auto head = kpi::split(line);
  auto col = [&](const char* name) { return static_cast<std::size_t>(std::find(head.begin(), head.end(), name) - head.begin()); };
  while (std::getline(in, line)) {
    const auto f = kpi::split(line);
    if (f[col("measure")] == measure && f[col("breakdown")] == by) out[f[col("breakdown_value")]] = f[col("numerator")];
  }
  return out;
}

TEST(PlaceBreakdowns, NcYearAndWardOfActivePlansAndRequestsAreExact) {
  test::TempDir dir;
  test::write_file(dir / "ons/onspd.csv", kOnspd2025);
  test::write_file(dir / "ons/wards.csv", kWards);
  test::write_file(dir / "ons/ward_population.csv", "ward,population\r\nE05001234,2000\r\nE05011111,1000\r\n");
  test::run_casework(dir, R"([{"name": "kpis", "connector": "kpi_extract", "as_at": "2026-01-15", "out": "out",
                              "breakdowns": ["nc_year", "ward"], "postcode_directory": "ons/onspd.csv", "ward_names": "ons/wards.csv",
                              "ward_population_file": "ons/ward_population.csv"}])");
  const std::string kpis = test::read_file(dir / "out/kpis.csv");
  // Requests received 2025-01-16..2026-01-15: C1 (year 7 at its arrival), C2 (9), C3 (10), C4 (11),
  // C5 (4), C6 (3), C7 (5); plans active on 2026-01-15: C7 (year 6) and C8 (8).
  auto years = breakdown(kpis, "requests_received", "nc_year");
  for (const auto& [y, n] : std::map<std::string, std::string>{{"3", "1"}, {"4", "1"}, {"5", "1"}, {"7", "1"}, {"9", "1"},
                                                               {"10", "1"}, {"11", "1"}, {"0", "0"}, {"UNKNOWN", "0"}})
    EXPECT_EQ(years[y], n) << "requests_received, year " << y;
  EXPECT_EQ(years.size(), 26u) << "every year from -4 to 20, and unknown";
  auto active = breakdown(kpis, "active_plans", "nc_year");
  EXPECT_EQ(active["6"], "1");
  EXPECT_EQ(active["8"], "1");
  EXPECT_EQ(active["7"], "0");
  // Wards, the whole directory (no local authority given):
  auto wards = breakdown(kpis, "requests_received", "ward");
  EXPECT_EQ(wards["E05011111"], "2") << "C1 (B1 1AA) and C6 (B1 1AA); C2's b11ab is not in the directory";
  EXPECT_EQ(wards["E05001234"], "2") << "C3 and C7 (DY1 1AA)";
  EXPECT_EQ(wards["E05001235"], "1") << "C4 (DY1  1AB, spaced oddly)";
  EXPECT_EQ(wards["UNKNOWN"], "2") << "C2 and C5: postcodes the directory lacks, counted not dropped";
  auto active_wards = breakdown(kpis, "active_plans", "ward");
  EXPECT_EQ(active_wards["E05001234"], "1");
  EXPECT_EQ(active_wards["UNKNOWN"], "1") << "C8: no postcode";
  // Prevalence per ward where a population per ward is given: C7's plan in 2,000 residents.
  std::map<std::string, std::string> prevalence;
  std::istringstream rows(kpis);
  for (std::string line; std::getline(rows, line);) {
    const auto f = kpi::split(line);
    if (f[0] == "ehcp_prevalence_per_10k" && f[4] == "ward") prevalence[f[5]] = f[8];
  }
  EXPECT_EQ(prevalence, (std::map<std::string, std::string>{{"E05001234", "5.0"}, {"E05011111", "0.0"}}))
      << "a ward with no plan is 0; a ward the file lacks has no rate";
  const std::string plain = test::read_file(dir / "out/kpis.csv");
  EXPECT_EQ(plain.find("DY1"), std::string::npos) << "no postcode in the KPIs";
}

}  // namespace
}  // namespace sendhub

namespace sendhub {
namespace {

TEST(PlaceBreakdowns, AWardPopulationRowThatIsNoNumberFailsTheSinkNamingFileAndLine) {
  test::TempDir dir;
  test::write_file(dir / "ons/onspd.csv", kOnspd2025);
  test::write_file(dir / "ons/ward_population.csv", "ward,population\nE05001234,2000\nE05011111,about a thousand\n");
  auto r = test::sendhub("run --config " + test::casework_config(dir, R"([{"name": "kpis", "connector": "kpi_extract",
      "as_at": "2026-01-15", "out": "out", "breakdowns": ["ward"], "postcode_directory": "ons/onspd.csv",
      "ward_population_file": "ons/ward_population.csv"}])"));
  EXPECT_EQ(r.code, 3) << r.output;
  EXPECT_NE(r.output.find("ward_population.csv:3"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("kpi.population"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("about a thousand"), std::string::npos) << "no value in the message";
  EXPECT_FALSE(std::filesystem::exists(dir / "out/kpis.csv")) << "nothing half-written";
  // Without the ward breakdown the key is refused before anything runs.
  auto c = test::sendhub("check --config " + test::casework_config(dir, R"([{"name": "kpis", "connector": "kpi_extract",
      "out": "out", "ward_population_file": "ons/ward_population.csv"}])"));
  EXPECT_EQ(c.code, 2) << c.output;
  EXPECT_NE(c.output.find("needs the ward breakdown"), std::string::npos) << c.output;
}

}  // namespace
}  // namespace sendhub
