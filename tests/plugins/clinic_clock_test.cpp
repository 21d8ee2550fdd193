// Issue 28.1: the statutory clock of every open request (clinic.md §1) in open_cases.csv, on a
// casework history whose clocks are known by hand, as at 2026-01-15.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <sstream>

#include "clinic_fixture.h"
#include "reference.h"

namespace sendhub {
namespace {

TEST(ClinicClock, EveryOpenRequestHasItsStageNextStepDueDateAndState) {
  test::TempDir dir;
  test::run_casework(dir, test::kKpiSink);
  std::istringstream csv(test::read_file(dir / "out/open_cases.csv"));
  std::string line;
  std::getline(csv, line);
  const auto head = kpi::split(line);
  std::map<std::string, std::map<std::string, std::string>> rows;
  while (std::getline(csv, line)) {
    const auto f = kpi::split(line);
    for (std::size_t i = 0; i < head.size(); ++i) rows[f[0]][head[i]] = i < f.size() ? f[i] : "";
  }
  EXPECT_EQ(rows.count("C7"), 0u) << "a plan issued is no open request";
  struct Want { const char* ref; const char* stage; const char* step; const char* due; const char* left; const char* state; };
  const Want want[] = {
      {"C1", "awaiting_decision", "decision_to_assess", "2026-01-31", "16", "on_track"},
      {"C2", "awaiting_decision", "decision_to_assess", "2026-01-21", "6", "at_risk"},
      {"C3", "awaiting_decision", "decision_to_assess", "2025-12-13", "-33", "breached"},
      {"C4", "assessing", "draft_or_notice_not_to_issue", "2026-01-21", "6", "at_risk"},
      {"C5", "awaiting_final", "final_plan", "2025-12-19", "-27", "breached"},
      {"C6", "draft_issued", "final_plan", "2026-02-02", "18", "on_track"},
  };
  for (const auto& w : want) {
    ASSERT_TRUE(rows.count(w.ref)) << w.ref;
    auto& row = rows[w.ref];
    EXPECT_EQ(row["clinic_stage"], w.stage) << w.ref;
    EXPECT_EQ(row["next_step"], w.step) << w.ref;
    EXPECT_EQ(row["next_due"], w.due) << w.ref;
    EXPECT_EQ(row["days_left"], w.left) << w.ref;
    EXPECT_EQ(row["state"], w.state) << w.ref;
  }
  EXPECT_EQ(rows["C5"]["week20_exception"], "1");
  EXPECT_EQ(rows["C4"]["week20_exception"], "0");
  EXPECT_EQ(rows["C4"]["advice"], "health:2025-12-22:arrived;educational_psychology:2025-12-22:overdue");
  EXPECT_EQ(rows["C6"]["advice"], "social_care:2026-02-13:outstanding");
  EXPECT_EQ(rows["C1"]["case_officer"], "Officer A");
  EXPECT_EQ(rows["C3"]["team"], "South");
  EXPECT_EQ(rows["C4"]["stage"], "assessing") << "the existing columns keep their meaning";
  const std::string all = test::read_file(dir / "out/open_cases.csv");
  EXPECT_EQ(all.find("Ashby"), std::string::npos) << "no names";
  EXPECT_EQ(all.find("2014-03-02"), std::string::npos) << "no birth dates";
}

// Issue 28.2: tracker.html in headless Chromium (Debian's package), driven through its
// #fragment: the filters and the sorting run in the browser; at two widths no chart label
// overlaps; no name or birth date is on the page.
std::string dom(const std::string& page, const std::string& fragment, int width, const test::TempDir& dir) {
  const std::string profile = dir / ("chromium-" + std::to_string(width) + fragment.substr(0, 3));
  auto r = test::run("timeout 120 chromium --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking "
                     "--disable-component-update --disable-sync --user-data-dir=" + profile + " --window-size=" +
                     std::to_string(width) + ",2000 --dump-dom 'file://" + page + "#" + fragment + "' 2>/dev/null");
  return r.output;
}

std::vector<std::string> visible_rows(const std::string& html) {
  std::vector<std::string> out;
  for (auto at = html.find("<tr data-team="); at != std::string::npos; at = html.find("<tr data-team=", at + 1)) {
    const std::string tag = html.substr(at, html.find('>', at) - at);
    if (tag.find(" hidden") != std::string::npos) continue;
    const auto cell = html.find("<td>", at) + 4;
    out.push_back(html.substr(cell, html.find("</td>", cell) - cell));
  }
  return out;
}

TEST(TrackerPage, FiltersAndSortingRunInTheBrowserAndNoLabelOverlaps) {
  if (test::run("command -v chromium").code != 0) {
    if (std::getenv("CI")) FAIL() << "CI renders the tracker: scripts/test.sh installs chromium";
    GTEST_SKIP() << "chromium is not installed (scripts/test.sh installs it)";
  }
  test::TempDir dir;
  test::run_casework(dir, test::kKpiSink);
  const std::string page = dir / "out/tracker.html";
  const std::string all = test::read_file(page);
  EXPECT_EQ(all.find("Ashby"), std::string::npos) << "no names";
  EXPECT_EQ(all.find("2014-03-02"), std::string::npos) << "no birth dates";
  EXPECT_EQ(all.find("http"), std::string::npos) << "offline: nothing fetched";
  for (int width : {1280, 720}) {
    const std::string html = dom(page, "", width, dir);
    ASSERT_NE(html.find("data-label-overlaps="), std::string::npos) << "the page checked its labels at " << width;
    EXPECT_NE(html.find("data-label-overlaps=\"0\""), std::string::npos) << "labels overlap at " << width;
    EXPECT_EQ(visible_rows(html).size(), 6u) << width;
    EXPECT_NE(html.find("id=\"chart-caseload\""), std::string::npos);
    EXPECT_NE(html.find("id=\"chart-demand\""), std::string::npos);
    EXPECT_NE(html.find("id=\"movement\""), std::string::npos);
  }
  auto breached = visible_rows(dom(page, "state=breached", 1280, dir));
  std::sort(breached.begin(), breached.end());
  EXPECT_EQ(breached, (std::vector<std::string>{"C3", "C5"}));
  const std::string north = dom(page, "team=North&state=at_risk", 1280, dir);
  EXPECT_EQ(visible_rows(north), (std::vector<std::string>{"C2"}));
  EXPECT_NE(north.find("<span id=\"shown\">1</span>"), std::string::npos);
  // Sorted by days left (column 7), fewest first: the longest overdue leads; a tie (C4 and C2,
  // 6 days each) keeps the page's order, longest wait first.
  const auto sorted = visible_rows(dom(page, "sort=7", 1280, dir));
  EXPECT_EQ(sorted, (std::vector<std::string>{"C3", "C5", "C4", "C2", "C1", "C6"}));
  const auto desc = visible_rows(dom(page, "sort=7-desc&stage=awaiting_decision", 1280, dir));
  EXPECT_EQ(desc, (std::vector<std::string>{"C1", "C2", "C3"}));
}

}  // namespace
}  // namespace sendhub

namespace sendhub {
namespace {

// The week's movement (clinic.md §2) as at 2025-12-26: C1 received in the week; C5's final plan
// (due 2025-12-19) breached in the week, C3's decision (due 2025-12-13) the week before.
TEST(TrackerPage, TheWeeksMovementCountsTheWeekAndTheWeekBefore) {
  test::TempDir dir;
  auto r = test::sendhub("run --as-at 2025-12-26 --config " +
                         test::casework_config(dir, R"([{"name": "kpis", "connector": "kpi_extract", "out": "out"}])"));
  ASSERT_LE(r.code, 1) << r.output;
  const std::string page = test::read_file(dir / "out/tracker.html");
  auto row = [&](const std::string& name) {
    const auto at = page.find(">" + name + "</td>");
    if (at == std::string::npos) return std::string("missing");
    const auto a = page.find("<td>", at) + 4, b = page.find("<td>", page.find("</td>", a)) + 4;
    return page.substr(a, page.find("</td>", a) - a) + "/" + page.substr(b, page.find("</td>", b) - b);
  };
  EXPECT_EQ(row("Requests received"), "1/0");
  EXPECT_EQ(row("New breaches"), "1/1");
  EXPECT_EQ(row("Decisions to assess"), "0/0");
  EXPECT_EQ(row("Plans issued"), "0/0");
}

}  // namespace
}  // namespace sendhub
