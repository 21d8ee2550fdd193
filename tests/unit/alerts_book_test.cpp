// The alerts sink's book (plugins/kpi_extract/alerts_book.h) held in memory, in its temporary
// file from the start, and moved there half-way: the same digests, alert for alert, in the same
// order, whatever the budget.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "alerts_book.h"
#include "sendhub/error.h"

namespace kpi {
namespace {

// A digest as written: its head, then each section's alerts in order, then every alert once.
std::vector<std::string> digests(AlertBook& book) {
  std::vector<std::string> out;
  for (const auto& head : book.heads()) {
    out.push_back("head " + head.recipient + " " + std::to_string(head.alerts) + " " + std::to_string(head.cases));
    for (unsigned bit = 1; bit <= 8; bit <<= 1)
      book.each_in_section(head.recipient, bit, [&](const Alert& a) { out.push_back(std::to_string(bit) + " " + a.serialise()); });
    std::vector<std::string> all;
    book.each_of(head.recipient, [&](const Alert& a) { all.push_back(a.serialise()); });
    std::sort(all.begin(), all.end());   // each_of promises no order
    for (auto& a : all) out.push_back("all " + a);
  }
  return out;
}

// Alerts from a seeded generator: recipients, cases, steps and thresholds that repeat (the same
// alert added twice to one recipient, from today's walk and from a failed send), days left that
// tie, and the same key with other sections or officers (the first added counts).
void fill(AlertBook& book, unsigned seed, int n) {
  std::mt19937 rng(seed);
  auto pick = [&](int k) { return static_cast<int>(rng() % static_cast<unsigned>(k)); };
  for (int i = 0; i < n; ++i) {
    Alert a;
    a.case_ref = "C" + std::to_string(pick(400));
    a.person_key = "p" + a.case_ref;
    a.stage = pick(2) ? "assessment" : "plan";
    a.step = pick(2) ? "decision_to_assess" : "annual_review";
    a.due = "2026-02-" + std::to_string(10 + pick(9));
    a.days_left = pick(30) - 10;
    a.threshold = a.days_left < 0 ? "overdue" : "within_" + std::to_string(a.days_left < 7 ? 7 : 14);
    a.week20_exception = pick(5) == 0;
    a.case_officer = "officer " + std::to_string(pick(4));
    a.team = "team\t" + std::to_string(pick(3));   // a tab inside a field: both books keep the same line
    const std::string to = pick(6) == 0 ? "webhook" : "to" + std::to_string(pick(5)) + "@example.org";
    book.add(to, a, 1U << pick(4));
  }
}

TEST(AlertsBook, InMemoryInItsFileAndMovedHalfWayGiveTheSameDigests) {
  for (unsigned seed : {1U, 2U, 3U}) {
    AlertBook memory(std::size_t{64} << 20), file(0), moved(20000);
    for (AlertBook* b : {&memory, &file, &moved}) fill(*b, seed, 3000);
    EXPECT_FALSE(memory.in_file());
    EXPECT_TRUE(file.in_file());
    EXPECT_TRUE(moved.in_file());
    const auto expected = digests(file);
    ASSERT_GT(expected.size(), 3000u);
    EXPECT_EQ(digests(memory), expected) << "seed " << seed;
    EXPECT_EQ(digests(moved), expected) << "seed " << seed;
  }
}

TEST(AlertsBook, TheFirstOfTheSameAlertToOneRecipientCounts) {
  for (std::size_t budget : {std::size_t{1} << 20, std::size_t{0}}) {
    AlertBook book(budget);
    Alert a;
    a.case_ref = "C1";
    a.step = "annual_review";
    a.due = "2026-02-01";
    a.threshold = "overdue";
    a.case_officer = "first";
    book.add("lead@example.org", a, 1);
    a.case_officer = "second";   // the same key: not listed again
    book.add("lead@example.org", a, 2);
    book.add("other@example.org", a, 2);
    const auto heads = book.heads();
    ASSERT_EQ(heads.size(), 2u);
    EXPECT_EQ(heads[0].recipient, "lead@example.org");
    EXPECT_EQ(heads[0].alerts, 1);
    std::vector<std::string> officers;
    book.each_in_section("lead@example.org", 1, [&](const Alert& x) { officers.push_back(x.case_officer); });
    book.each_in_section("lead@example.org", 2, [&](const Alert& x) { officers.push_back(x.case_officer); });
    EXPECT_EQ(officers, std::vector<std::string>{"first"}) << "budget " << budget;
    EXPECT_THROW(book.add("lead@example.org", a, 1), sendhub::Error);
  }
}

// An alert kept as a line (the book's file, a failed send's pending state) comes back field for
// field: empty fields anywhere, negative days, the exception flag; a line of fewer fields (an
// older version's) leaves the rest empty.
TEST(AlertLine, ComesBackFieldForField) {
  Alert a{"REF/1", "0123abcd", "", "advice_health", "2026-03-01", -17, "breached", true, "", "Team North"};
  const std::string line = a.serialise();
  EXPECT_EQ(line, "REF/1\t0123abcd\t\tadvice_health\t2026-03-01\tbreached\t\tTeam North\t-17\t1");
  const Alert b = Alert::parse(line);
  EXPECT_EQ(b.serialise(), line);
  EXPECT_EQ(b.days_left, -17);
  EXPECT_TRUE(b.week20_exception);
  EXPECT_EQ(b.stage, "");
  EXPECT_EQ(b.team, "Team North");
  const Alert old = Alert::parse("REF/2\tkey\tplan\tannual_review\t2026-05-31\twithin_14");
  EXPECT_EQ(old.case_ref, "REF/2");
  EXPECT_EQ(old.threshold, "within_14");
  EXPECT_EQ(old.case_officer, "");
  EXPECT_EQ(old.days_left, 0);
  EXPECT_FALSE(old.week20_exception);
  EXPECT_EQ(Alert::parse("R\tk\t\t\t\t\t\t\t42\t0").days_left, 42);
}

}  // namespace
}  // namespace kpi
