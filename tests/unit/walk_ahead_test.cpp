// The run's first walk reads ahead (pipeline/dataset_cache.h, issue 30): a thread of its own
// reads each group from the store, merges and encodes it, while the sink's thread visits the
// decoded copies. What a sink is given is what a walk on its own thread gives (a budget of 0),
// on a fresh store and after changes round after round; a sink that uses the store from inside
// its visits (its state, as the alerts sink keeps it) shares the connection through the gate and
// finds what it wrote; a walk started while the gate is held (a visitor's own walk) runs on its
// own thread instead of waiting for ever.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <future>
#include <mutex>

#include "link_population.h"
#include "pipeline/contexts.h"
#include "pipeline/dataset_cache.h"
#include "test_support.h"

namespace sendhub {
namespace {

using namespace link_test;

std::string line_of(const Record& r) {
  std::string line = std::to_string(static_cast<int>(r.kind())) + ' ' + r.source + ' ' + r.key() + ' ' + r.case_key + ' ' +
                     r.person_key + ' ' + r.origin.file + ':' + std::to_string(r.origin.line) + ' ' +
                     std::to_string(r.return_year);
  for (std::size_t i = 0; i < r.size(); ++i) line += '|' + r.at(i);
  for (const auto& [name, value] : r.extras) line += ';' + name + '=' + value;
  return line;
}

// A group as a sink is given it: every merged record and every loaded one, in order.
std::string seen(const PersonGroup& g) {
  std::string out = g.person_key;
  for (const auto& r : g.records) out += '\n' + line_of(r);
  out += "\nloaded:";
  for (const auto& r : g.loaded) out += '\n' + line_of(r);
  return out;
}

HubConfig config() {
  HubConfig cfg;
  cfg.schemas_dir = kSchemas;
  cfg.link.rules = kRules;
  return cfg;
}

// Every group a sink's first walk is given, the sink writing and reading its state at each.
std::vector<std::string> walked(const HubConfig& cfg, Store& store, std::size_t budget, std::int64_t run) {
  DatasetCache cache(budget);
  SinkContextImpl ctx(HostServices{"probe", nullptr, kSchemas, "351"}, store, "2026-01-15", cfg, run);
  ctx.share_walks(cache);
  std::vector<std::string> out;
  int n = 0;
  const PersonQuery query{0, {2025, 2026}};
  ctx.each_person(query, [&](PersonGroup& g) {
    out.push_back(seen(g));
    const std::string key = "seen|" + std::to_string(run) + "|" + std::to_string(++n);
    ctx.set_state(key, g.person_key.empty() ? "-" : g.person_key);
    if (n % 7 == 0) {
      EXPECT_EQ(ctx.state(key).at(key), g.person_key.empty() ? "-" : g.person_key);
    }
  });
  EXPECT_EQ(ctx.state("seen|" + std::to_string(run) + "|").size(), out.size()) << "every visit's state was written";
  EXPECT_EQ(cache.store_walks(), 1);
  return out;
}

// A store as a run holds it: locked for the run, so its walks keep the groups' copies; null
// (and a failure) when it cannot be locked.
std::unique_ptr<Store> run_store(const test::TempDir& dir) {
  auto store = open_sqlite_store(dir / "s.db", kSchemas);
  if (store->try_lock_run()) return store;
  ADD_FAILURE() << "as a run: its walks keep the groups' copies";
  return nullptr;
}

// One run's load of the population, linked: the run's id.
std::int64_t load_and_link(Store& store, Population& population) {
  const std::int64_t run = store.begin_run("2026-01-15");
  population.load(store, run);
  link(store, true);
  return run;
}

TEST(WalkAhead, GivesWhatAWalkOnItsOwnThreadGivesRoundAfterRound) {
  const HubConfig cfg = config();
  for (unsigned seed = 1; seed <= 3; ++seed) {
    test::TempDir dir;
    auto store = run_store(dir);
    ASSERT_TRUE(store);
    Population population(seed);
    population.sen2_return_year(2026);   // its records also come as a loaded return
    for (int round = 0; round < 5; ++round) {
      if (round > 0)
        for (int i = 0; i < 1 + round % 3; ++i) population.change();
      const std::int64_t run = load_and_link(*store, population);
      // The first round reads the record tables (a fresh store), the others mostly the copies.
      const auto ahead = walked(cfg, *store, std::size_t{64} << 20, run);
      const auto alone = walked(cfg, *store, 0, run);
      ASSERT_GT(alone.size(), 10u);
      ASSERT_NE(std::find_if(alone.begin(), alone.end(), [](const std::string& g) { return g.find("loaded:\n") != std::string::npos; }),
                alone.end()) << "some group has records of a loaded return";
      ASSERT_EQ(ahead, alone) << "seed " << seed << ", round " << round;
    }
  }
}

// A first walk longer than the hand-over holds (four batches of 64 groups): a sink writing from
// inside its visits is not shut out by the transaction the copies are kept in. When the reading
// thread kept them in a transaction of its own, such a write waited for the walk to end, which
// waited for the write: five seconds of busy timeout, then a failed sink.
TEST(WalkAhead, ASinkWritesFromInsideAFirstWalkLongerThanTheHandOverHolds) {
  const HubConfig cfg = config();
  test::TempDir dir;
  auto store = run_store(dir);
  ASSERT_TRUE(store);
  Population population(6);
  for (int i = 0; i < 600; ++i) {
    Record p(RecordKind::person);
    p.source = "cms";
    p.set("person_ref", "W" + std::to_string(i)).set("surname", "Walker").set("forename", "Ann" + std::to_string(i));
    p.set("birth_date", "2014-03-0" + std::to_string(1 + i % 9));
    population.put(std::move(p));
  }
  const std::int64_t run = load_and_link(*store, population);
  const auto ahead = walked(cfg, *store, std::size_t{64} << 20, run);
  EXPECT_GT(ahead.size(), 4u * 64u) << "longer than the hand-over holds";
  EXPECT_EQ(ahead, walked(cfg, *store, 0, run));
}

TEST(WalkAhead, AWalkStartedWhileTheStoreIsHeldRunsOnItsOwnThread) {
  const HubConfig cfg = config();
  test::TempDir dir;
  auto store = run_store(dir);
  ASSERT_TRUE(store);
  Population population(4);
  load_and_link(*store, population);
  DatasetCache cache(std::size_t{64} << 20);
  auto walk = std::async(std::launch::async, [&] {
    const std::lock_guard<StoreGate> held(cache.store_gate());   // as a visitor's call into the store holds it
    EXPECT_TRUE(cache.store_gate().held_here());
    int n = 0;
    cache.each(cfg, *store, PersonQuery{}, [&](PersonGroup&) { ++n; });
    return n;
  });
  if (walk.wait_for(std::chrono::seconds(30)) != std::future_status::ready) {
    ADD_FAILURE() << "the walk waited for the gate its own thread holds";
    std::_Exit(1);
  }
  EXPECT_GT(walk.get(), 10);
  EXPECT_FALSE(cache.store_gate().held_here());
}

}  // namespace
}  // namespace sendhub
