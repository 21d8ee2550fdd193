// A sink's work on each group kept between runs (sqlite_parts.h, issue 30.5): round after round
// of changes, the parts a store gives are what deriving every group of a fresh store gives,
// and only the groups a change touched are derived again; another mark derives everything; a
// walk outside a run keeps nothing; linking everything gives every part up.
#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <stdexcept>

#include "link_population.h"
#include "store/sqlite/sqlite_db.h"
#include "test_support.h"

namespace sendhub {
namespace {

using namespace link_test;

// A part: the group's key and every record whole, as a sink might keep it.
std::string part_of(const StoredGroup& g) {
  std::vector<std::string> lines;
  for (const auto& r : g.records) {
    std::string line = std::to_string(static_cast<int>(r.kind())) + ' ' + r.source + ' ' + r.key() + ' ' + r.case_key + ' ' +
                       r.person_key + ' ' + r.origin.file + ':' + std::to_string(r.origin.line);
    for (std::size_t i = 0; i < r.size(); ++i) line += '|' + r.at(i);
    lines.push_back(line);
  }
  std::sort(lines.begin(), lines.end());
  std::string out = g.key + (g.person ? " " + g.person->origins : "");
  if (g.person)
    for (const auto& v : g.person->values) out += '|' + v;
  for (const auto& l : lines) out += '\n' + l;
  return out;
}

// The groups' copies (store.h): here the part itself, so a part derived from a copy is the copy.
const CopyMaker kPartCopies{"part copies 1", [](StoredGroup& g) { return part_of(g); }};

struct Walked {
  bool kept = false;
  int derived = 0;
  std::vector<std::string> parts;
};

// `held`: the parts of the groups the caller holds already (the run's walk cache), by key.
Walked parts(Store& store, const std::string& mark, const std::map<std::string, std::string>* held = nullptr) {
  Walked w;
  auto read = [&](std::string_view copy) {
    ++w.derived;
    return std::string(copy);
  };
  auto from_held = [&](const std::string& key) -> std::optional<std::string> {
    if (!held || !held->count(key)) return std::nullopt;
    return held->at(key);
  };
  w.kept = store.each_part("extract", mark, 0, kPartCopies, from_held, read, [&](std::string_view p) { w.parts.emplace_back(p); });
  return w;
}

// What deriving every group gives, in the walk's order.
std::vector<std::string> derived_afresh(Store& store) {
  std::vector<std::string> out;
  store.each_group(0, [&](StoredGroup& g) { out.push_back(part_of(g)); });
  return out;
}

std::int64_t groups_without_part(const std::string& path) {
  return std::stoll(test::sql_text(path, "SELECT COUNT(DISTINCT grp) FROM dataset_member m "
                                         "WHERE NOT EXISTS (SELECT 1 FROM sink_part p WHERE p.grp = m.grp)"));
}

std::int64_t kept_parts(const std::string& path) {
  return std::stoll(test::sql_text(path, "SELECT COUNT(*) FROM sink_part"));
}

TEST(SinkParts, GiveWhatDerivingEveryGroupGivesRoundAfterRound) {
  for (unsigned seed = 1; seed <= 6; ++seed) {
    test::TempDir dir;
    const std::string path = dir / "s.db";
    auto store = open_sqlite_store(path, kSchemas);
    ASSERT_TRUE(store->try_lock_run()) << "as a run: its walks keep parts";
    Population population(seed);
    population.load(*store, store->begin_run("2026-01-15"));
    link(*store, true);
    Walked first = parts(*store, "m1");
    ASSERT_TRUE(first.kept);
    EXPECT_EQ(first.derived, static_cast<int>(first.parts.size())) << "a first walk derives every group";
    int partly = 0;
    for (int round = 0; round < 12; ++round) {
      for (int i = 0; i < 1 + round % 4; ++i) population.change();
      population.load(*store, store->begin_run("2026-01-15"));
      link(*store, true);
      if (round % 3 == 0)   // a walk of another sink first: the copies are kept again
        store->each_copy(0, kPartCopies, [](const std::string&, std::string_view) {});
      const std::int64_t without_part = groups_without_part(path);
      const Walked w = parts(*store, "m1");
      test::TempDir fresh_dir;
      auto fresh = open_sqlite_store(fresh_dir / "s.db", kSchemas);
      population.load(*fresh, fresh->begin_run("2026-01-15"));
      link(*fresh, false);
      ASSERT_EQ(w.parts, derived_afresh(*fresh)) << "seed " << seed << ", round " << round;
      // Linking deleted the parts of the groups it touched: those, and no other, are derived.
      EXPECT_EQ(w.derived, without_part) << "seed " << seed << ", round " << round;
      partly += w.derived > 0 ? 1 : 0;
      EXPECT_EQ(parts(*store, "m1").derived, 0) << "nothing changed since: every part kept";
    }
    EXPECT_GT(partly, 6) << "the changes touched groups, and those were derived again (seed " << seed << ")";
  }
}

// Forty children who share nothing: a change to two of them derives their two parts again.
TEST(SinkParts, AChangeToTwoChildrenDerivesTheirTwoParts) {
  test::TempDir dir;
  auto store = open_sqlite_store(dir / "s.db", kSchemas);
  ASSERT_TRUE(store->try_lock_run());
  Population population(0, true);
  auto child = [&](int i, const std::string& postcode) {
    const std::string n = std::to_string(i);
    population.put(make(RecordKind::person, "cms", {{"person_ref", "P" + n}, {"surname", "Surname" + n}, {"forename", "Amy"},
                                                    {"birth_date", "2014-01-01"}, {"upn", valid_upn(i)}, {"postcode", postcode}}));
  };
  for (int i = 0; i < 40; ++i) {
    child(i, "");
    population.put(make(RecordKind::request, "cms", {{"request_ref", "R" + std::to_string(i)}, {"person_ref", "P" + std::to_string(i)},
                                                     {"received_date", "2024-01-10"}}));
  }
  population.load(*store, store->begin_run("2026-01-15"));
  link(*store, true);
  EXPECT_EQ(parts(*store, "m1").derived, 40);
  child(7, "BL9 0AB");
  population.put(make(RecordKind::request, "cms", {{"request_ref", "R9"}, {"person_ref", "P9"}, {"received_date", "2024-02-10"}}));
  population.load(*store, store->begin_run("2026-01-15"));
  ASSERT_TRUE(link(*store, true).narrowed);
  const Walked w = parts(*store, "m1");
  EXPECT_EQ(w.derived, 2);
  EXPECT_EQ(w.parts, derived_afresh(*store));
  EXPECT_NE(w.parts[0].find('|'), std::string::npos);
}

TEST(SinkParts, AnotherMarkDerivesEverythingAndLinkingEverythingGivesThemUp) {
  test::TempDir dir;
  const std::string path = dir / "s.db";
  auto store = linked_store(path, Population(3));
  const Walked first = parts(*store, "m1");
  const auto groups = static_cast<std::int64_t>(first.parts.size());
  EXPECT_EQ(kept_parts(path), groups);
  const Walked other = parts(*store, "m2");
  EXPECT_EQ(other.derived, groups) << "a new mark (a setting, a reference file, a new build): all derived again";
  EXPECT_EQ(other.parts, first.parts);
  EXPECT_EQ(kept_parts(path), groups) << "the old mark's parts were deleted, not kept beside";
  link(*store, false);   // a new linking rule: every group may have changed
  EXPECT_EQ(kept_parts(path), 0);
  EXPECT_EQ(parts(*store, "m2").derived, groups);
}

// Copies made another way (another precedence, a new build: CopyMaker's mark) are made again,
// and every part derived from the old ones goes with them.
TEST(SinkParts, CopiesMadeAnotherWayTakeThePartsWithThem) {
  test::TempDir dir;
  const std::string path = dir / "s.db";
  auto store = linked_store(path, Population(6));
  const Walked first = parts(*store, "m1");
  const auto groups = static_cast<std::int64_t>(first.parts.size());
  EXPECT_EQ(parts(*store, "m1").derived, 0);
  store->each_copy(0, kTextCopies, [](const std::string&, std::string_view) {});
  EXPECT_EQ(kept_parts(path), 0) << "the parts came from copies made another way";
  const Walked again = parts(*store, "m1");
  EXPECT_EQ(again.derived, groups);
  EXPECT_EQ(again.parts, first.parts);
}

TEST(SinkParts, AGroupTheCallerHoldsIsNotReadAgain) {
  test::TempDir dir;
  auto store = linked_store(dir / "s.db", Population(5));
  std::map<std::string, std::string> held;
  store->each_group(0, [&](StoredGroup& g) { held[g.key] = part_of(g); });
  const std::string one = held.begin()->first;
  held.erase(one);   // all but one
  const Walked w = parts(*store, "m1", &held);
  EXPECT_EQ(w.derived, 1) << "only the group the caller lacks is read";
  EXPECT_EQ(w.parts, derived_afresh(*store));
}

TEST(SinkParts, AWalkOutsideARunKeepsNothing) {
  test::TempDir dir;
  const std::string path = dir / "s.db";
  auto store = linked_store(path, Population(4), false);   // no run lock: `export` beside a run
  const Walked w = parts(*store, "m1");
  EXPECT_FALSE(w.kept) << "the caller derives every group itself";
  EXPECT_TRUE(w.parts.empty());
  EXPECT_EQ(kept_parts(path), 0);
}

}  // namespace
}  // namespace sendhub
