// sendhub kpis --pool (issue 14): every measure across a regional pool's councils, computed
// in SQL on the server from the councils' resolved datasets, by a pool reader who can read no
// record. Each council's rows are exactly what its own kpi_extract sink wrote (C++, person
// by person), zero rows of closed lists included; the pool's rows add the councils' up.
#include <gtest/gtest.h>

#include <map>
#include <sstream>
#include <sys/stat.h>

#include "pg_pool.h"
#include "test_support.h"

namespace sendhub {
namespace {

using Rows = std::vector<std::vector<std::string>>;

Rows csv_rows(const std::string& text) {
  Rows out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    std::vector<std::string> fields;
    std::istringstream f(line);
    for (std::string field; std::getline(f, field, ',');) fields.push_back(field);
    if (line.back() == ',') fields.emplace_back();
    out.push_back(fields);
  }
  return out;
}

bool is_census_measure(const std::string& m) {
  return m == "sen_support_census" || m == "ehc_plans_census" || m == "census_ehc_without_active_plan" ||
         m == "active_plan_not_ehc_in_census";
}

TEST(PoolKpis, EachCouncilsPooledFiguresAreItsOwnAndThePoolsAreTheirSum) {
  SENDHUB_REQUIRE_PG();
  test::TestPool pool(SENDHUB_SOURCE_DIR "/schemas");
  std::map<std::string, Rows> own;   // council -> its kpis.csv rows (but prevalence: not pooled)
  std::vector<std::unique_ptr<test::TempDir>> dirs;
  for (const auto& [council, children] : {std::pair{"351", 45}, {"352", 90}}) {
    dirs.push_back(std::make_unique<test::TempDir>());
    const auto& dir = *dirs.back();
    const std::string cfg = test::pool_demo_config(dir, test::demo_config(dir, children), pool.council(council));
    auto run = test::sendhub("run --config " + cfg);
    ASSERT_EQ(run.code, 0) << run.output;
    for (const auto& r : csv_rows(test::read_file(dir / "pool/out/kpis/kpis.csv")))
      // The nc_year and ward breakdowns the demo asks for, and the school census's measures, are
      // the council's own: the pool's SQL does not compute them (README, "By national curriculum
      // year and by ward", "The school census").
      if (r[0] != "ehcp_prevalence_per_10k" && r[0] != "measure" && r[4] != "nc_year" && r[4] != "ward" &&
          !is_census_measure(r[0]))
        own[council].emplace_back(r.begin(), r.begin() + 9);
  }
  ASSERT_GT(own["351"].size(), 60u);

  test::TempDir reader_dir;
  const std::string reader = test::pool_demo_config(reader_dir, test::demo_config(reader_dir, 1), pool.reader());
  auto pooled = test::sendhub("kpis --pool --config " + reader + " --out " + (reader_dir / "pooled"));
  ASSERT_EQ(pooled.code, 0) << pooled.output;
  EXPECT_NE(pooled.output.find("2 councils"), std::string::npos) << pooled.output;
  struct stat st {};
  ASSERT_EQ(::stat((reader_dir / "pooled/pool_kpis.csv").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);

  std::map<std::string, Rows> got;
  const Rows rows = csv_rows(test::read_file(reader_dir / "pooled/pool_kpis.csv"));
  ASSERT_EQ(rows[0][0], "council");
  for (std::size_t i = 1; i < rows.size(); ++i) got[rows[i][0]].push_back({rows[i].begin() + 1, rows[i].end()});
  for (const auto& [council, expected] : own) {
    ASSERT_EQ(got[council].size(), expected.size()) << council;
    for (std::size_t i = 0; i < expected.size(); ++i)
      EXPECT_EQ(got[council][i], expected[i]) << council << " row " << i;
  }
  // The pool's rows: every row of either council, numerators and denominators summed.
  std::map<std::vector<std::string>, std::pair<long, long>> sums;   // (measure, breakdown, value) -> sums
  for (const auto& [council, expected] : own)
    for (const auto& r : expected) {
      auto& [num, den] = sums[{r[0], r[4], r[5]}];
      num += std::stol(r[6]);
      den += r[7].empty() ? 0 : std::stol(r[7]);
    }
  ASSERT_EQ(got["all"].size(), sums.size());
  for (const auto& all : got["all"]) {
    const auto it = sums.find({all[0], all[4], all[5]});
    ASSERT_NE(it, sums.end()) << all[0] << " " << all[4] << " " << all[5];
    EXPECT_EQ(std::stol(all[6]), it->second.first) << all[0] << " " << all[4] << " " << all[5];
    if (!all[7].empty()) {
      EXPECT_EQ(std::stol(all[7]), it->second.second) << all[0];
    }
  }

  // A council's role is no pool reader: it is told what to ask for.
  const std::string as_council = test::pool_demo_config(*dirs[0], dirs[0]->path() + "/config/demo.json", pool.council("353"));
  auto refused = test::sendhub("kpis --pool --config " + as_council + " --out " + (reader_dir / "refused"));
  EXPECT_NE(refused.code, 0);
  EXPECT_NE(refused.output.find("sendhub_pool_reader"), std::string::npos) << refused.output;
}

}  // namespace
}  // namespace sendhub
