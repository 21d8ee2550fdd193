// The order a walk gives the groups in, kept between runs (sqlite_group_order.h, migration 017,
// issue 30): round after round of changes, the kept order, given back their places for the
// groups each linking touched, is the order a fresh store works out, for a return year's walk
// (its persons by their first request's line) and for a walk by key; a walk that may not write
// works it out afresh while any group awaits its place; a linking of everything deletes it.
#include <gtest/gtest.h>

#include <vector>

#include "link_population.h"
#include "test_support.h"

namespace sendhub {
namespace {

using namespace link_test;

std::vector<std::string> order_of(Store& store, int year) {
  std::vector<std::string> keys;
  store.each_group_key(year, [&](const std::string& k) { keys.push_back(k); });
  return keys;
}

std::int64_t rows(const std::string& path, const std::string& where = "1") {
  return std::stoll(test::sql_text(path, "SELECT COUNT(*) FROM group_order WHERE " + where));
}
std::int64_t touched(const std::string& path) {
  return std::stoll(test::sql_text(path, "SELECT COUNT(*) FROM group_order_touched"));
}

void walk(Store& store, int year) {
  store.each_copy(year, kTextCopies, [](const std::string&, std::string_view) {});
}

TEST(GroupOrder, TheKeptOrderIsTheOrderAFreshStoreWorksOutRoundAfterRound) {
  int mended = 0;
  for (unsigned seed = 1; seed <= 4; ++seed) {
    test::TempDir dir;
    const std::string path = dir / "s.db";
    auto store = open_sqlite_store(path, kSchemas);
    ASSERT_TRUE(store->try_lock_run()) << "as a run: its walks keep the order";
    Population population(seed);
    population.sen2_return_year(2026);
    population.number_lines(true);
    population.load(*store, store->begin_run("2026-01-15"));
    link(*store, true);
    walk(*store, 2026);
    walk(*store, 0);
    const auto groups = static_cast<std::int64_t>(order_of(*store, 0).size());
    ASSERT_GT(groups, 10);
    EXPECT_EQ(rows(path, "year = 2026"), groups) << "the first walk keeps its order";
    EXPECT_EQ(rows(path, "year = 0"), groups);
    EXPECT_GT(rows(path, "year = 2026 AND late = 0"), 0) << "some persons are in the return";
    {
      test::TempDir fresh_dir;
      auto fresh = open_sqlite_store(fresh_dir / "s.db", kSchemas);
      population.load(*fresh, fresh->begin_run("2026-01-15"));
      link(*fresh, false);
      EXPECT_EQ(order_of(*store, 2026), order_of(*fresh, 2026)) << "the first walk keeps the order it worked out";
      EXPECT_EQ(order_of(*store, 0), order_of(*fresh, 0));
    }
    for (int round = 0; round < 10; ++round) {
      for (int i = 0; i < 1 + round % 4; ++i) population.change();
      population.load(*store, store->begin_run("2026-01-15"));
      link(*store, true);
      const std::int64_t awaiting = touched(path);
      mended += awaiting > 0 ? 1 : 0;
      test::TempDir fresh_dir;
      auto fresh = open_sqlite_store(fresh_dir / "s.db", kSchemas);
      population.load(*fresh, fresh->begin_run("2026-01-15"));
      link(*fresh, false);
      const std::string why = "seed " + std::to_string(seed) + ", round " + std::to_string(round);
      EXPECT_EQ(order_of(*store, 2026), order_of(*fresh, 2026)) << why << ": worked out afresh while groups await";
      walk(*store, round % 2 ? 0 : 2026);   // either walk gives every kept year its places again
      EXPECT_EQ(touched(path), 0) << why;
      EXPECT_EQ(order_of(*store, 2026), order_of(*fresh, 2026)) << why << ": the kept order";
      EXPECT_EQ(order_of(*store, 0), order_of(*fresh, 0)) << why;
      EXPECT_EQ(rows(path), 2 * static_cast<std::int64_t>(order_of(*fresh, 0).size())) << why << ": no row left behind";
    }
  }
  EXPECT_GT(mended, 20) << "the changes touched groups, and those were given their places again";
}

// The kept order is what walks read: a row taken away outside the hub is missed by them (which
// is why only a linking's own notes may change it), and a linking of everything deletes it.
TEST(GroupOrder, WalksReadTheKeptOrderAndALinkingOfEverythingDeletesIt) {
  test::TempDir dir;
  const std::string path = dir / "s.db";
  auto store = linked_store(path, Population(9));
  walk(*store, 0);
  const std::vector<std::string> all = order_of(*store, 0);
  test::sql_text(path, "DELETE FROM group_order WHERE grp = (SELECT MIN(grp) FROM group_order)");
  EXPECT_EQ(order_of(*store, 0).size(), all.size() - 1) << "read from the kept order, not worked out again";
  link(*store, false);
  EXPECT_EQ(rows(path), 0);
  EXPECT_EQ(order_of(*store, 0), all) << "worked out afresh";
  walk(*store, 0);
  EXPECT_EQ(rows(path), static_cast<std::int64_t>(all.size()));
}

}  // namespace
}  // namespace sendhub
