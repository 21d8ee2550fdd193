// The records that hang from a request in the dataset index (sqlite_dataset.h, MemberChildren):
// a child reached through its own source's request has no row of its own; one whose request is
// in another source (link.request_sources) or found only as the one case with its reference
// keeps one. A walk gives each child in its group once, in the order rows of their own gave.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "link_population.h"
#include "store/sqlite/sqlite_dataset.h"
#include "test_support.h"

namespace sendhub {
namespace {

using namespace link_test;

void add_person(Population& p, const std::string& source, const std::string& ref, int n) {
  p.put(make(RecordKind::person, source, {{"person_ref", ref}, {"surname", "Surname" + std::to_string(n)},
                                          {"forename", "Amy"}, {"birth_date", "2014-01-0" + std::to_string(n)}}));
}

void add_request(Population& p, const std::string& source, const std::string& ref, const std::string& person) {
  p.put(make(RecordKind::request, source, {{"request_ref", ref}, {"person_ref", person}, {"received_date", "2024-01-10"}}));
}

void add_need(Population& p, const std::string& source, const std::string& ref, const std::string& seq) {
  p.put(make(RecordKind::need, source, {{"request_ref", ref}, {"seq", seq}, {"sen_type", "ASD"}}));
}

// The store loaded and linked with `request_sources` (everyone: a run links everyone again
// when the mapping changes, as it is part of the link mark).
std::unique_ptr<Store> linked(const std::string& path, const Population& p, const std::map<std::string, std::string>& request_sources) {
  auto store = open_sqlite_store(path, kSchemas);
  p.load(*store, store->begin_run("2026-01-15"));
  auto scratch = store->link_scratch({});
  link_dataset(*scratch, {{{"cms", "cms_csv"}, {"sen2", "sen2_xml"}}, {}, "salt", false}, load_link_rules(kRules));
  scratch->save(store->link_state().data_version, request_sources);
  return store;
}

// Each group's needs as "source request_ref seq", in the walk's order, by the group's requests.
std::map<std::string, std::vector<std::string>> needs_by_group(Store& store) {
  std::map<std::string, std::vector<std::string>> out;
  store.each_group(0, [&](StoredGroup& g) {
    std::string requests;
    for (const auto& r : g.records)
      if (r.kind() == RecordKind::request) requests += r.source + ":" + r.get("request_ref") + " ";
    for (const auto& r : g.records)
      if (r.kind() == RecordKind::need) out[requests].push_back(r.source + " " + r.get("request_ref") + " " + r.get("seq"));
  });
  return out;
}

std::string member_rows(const std::string& path, RecordKind kind) {
  return test::sql_text(path, "SELECT group_concat(source || ' ' || ref, ', ') FROM (SELECT source, ref FROM dataset_member "
                              "WHERE kind = " + std::to_string(static_cast<int>(kind)) + " ORDER BY 1, 2)");
}

// sen2 holds request R1 and two of its needs; cms holds a need of R1 but not the request: the
// one case with that reference takes it. "cms" sorts before "sen2", so the walk must put the
// need with a row of its own before those reached through the request.
TEST(MemberChildren, AChildReachedThroughItsRequestHasNoRowAndTheWalkKeepsTheOrder) {
  test::TempDir dir;
  Population p(0, true);
  add_person(p, "sen2", "S1", 1);
  add_request(p, "sen2", "R1", "S1");
  add_need(p, "sen2", "R1", "2");
  add_need(p, "sen2", "R1", "1");
  add_need(p, "cms", "R1", "1");
  auto store = linked(dir / "s.db", p, {});
  EXPECT_EQ(member_rows(dir / "s.db", RecordKind::need), "cms R1") << "only the need found through the one case";
  EXPECT_EQ(member_rows(dir / "s.db", RecordKind::request), "sen2 R1");
  const auto needs = needs_by_group(*store);
  ASSERT_EQ(needs.size(), 1u);
  EXPECT_EQ(needs.begin()->second, (std::vector<std::string>{"cms R1 1", "sen2 R1 1", "sen2 R1 2"}));
}

// cms hangs its children from sen2's requests (link.request_sources): its need of R2 belongs
// to sen2's R2, not to cms's own R2, and a walk gives it there only.
TEST(MemberChildren, ASourceWhoseChildrenHangFromAnothersKeepsTheirRows) {
  test::TempDir dir;
  Population p(0, true);
  add_person(p, "sen2", "S1", 1);
  add_person(p, "cms", "C1", 2);
  add_request(p, "sen2", "R2", "S1");
  add_request(p, "cms", "R2", "C1");
  add_need(p, "cms", "R2", "1");
  add_need(p, "sen2", "R2", "1");
  auto store = linked(dir / "s.db", p, {{"cms", "sen2"}});
  EXPECT_EQ(member_rows(dir / "s.db", RecordKind::need), "cms R2");
  const auto needs = needs_by_group(*store);
  EXPECT_EQ(needs.count("cms:R2 "), 0u) << "no need in cms's own case";
  ASSERT_EQ(needs.count("sen2:R2 "), 1u);
  EXPECT_EQ(needs.at("sen2:R2 "), (std::vector<std::string>{"cms R2 1", "sen2 R2 1"}));
  // Linked again without the mapping: each need with its own source's request, neither with a row.
  store.reset();
  store = linked(dir / "s.db", p, {});
  EXPECT_EQ(member_rows(dir / "s.db", RecordKind::need), "");
  const auto again = needs_by_group(*store);
  EXPECT_EQ(again.at("cms:R2 "), std::vector<std::string>{"cms R2 1"});
  EXPECT_EQ(again.at("sen2:R2 "), std::vector<std::string>{"sen2 R2 1"});
}

// The note in dataset_state: any source's name comes back as it went; a store linked before
// (no note) has a row for every child; a damaged note is an error, not a guess.
TEST(MemberChildren, TheNoteKeepsAnySourceNameAndAStoreWithoutItHasEveryRow) {
  test::TempDir dir;
  auto store = open_sqlite_store(dir / "s.db", kSchemas);
  sqlite::Db db(dir / "s.db");
  EXPECT_FALSE(sqlite::MemberChildren::of(db).through_requests) << "linked by an earlier build";
  const std::map<std::string, std::string> sources{{"a:1", "x"}, {"12", "x"}, {"it's\nodd", "x"}, {"own", "own"}, {"", "x"}};
  sqlite::MemberChildren::of(sources).save(db);
  const auto back = sqlite::MemberChildren::of(db);
  EXPECT_TRUE(back.through_requests);
  EXPECT_EQ(back.owned_elsewhere, (std::vector<std::string>{"", "12", "a:1", "it's\nodd"}));
  for (const std::string damaged : {R"(["a", )", R"({"a": 1})", R"([1, "a"])", "through requests"}) {
    sqlite::Stmt set(db, "UPDATE dataset_state SET value = ?1 WHERE key = 'member_children'");
    set.bind_text(1, damaged).run();
    EXPECT_THROW(sqlite::MemberChildren::of(db), Error) << damaged;
  }
}

}  // namespace
}  // namespace sendhub
