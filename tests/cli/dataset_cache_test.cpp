// Issue 30.2 and 30.4: the run walks the dataset once for all its sinks: the first walk's
// copies are kept in memory while they fit the budget and in a private temporary file past it.
// Every path writes the same bytes: the demo's every output with the copies in memory, spilled
// half way (a budget too small), given up (no temporary folder: every sink walks the store)
// and never kept (0: always from the store), and the return from another sink's copies.
#include <gtest/gtest.h>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <filesystem>
#include <map>
#include <sstream>

#include "store/group_codec.h"
#include "test_support.h"

namespace sendhub {
namespace {
using namespace std::string_literals;

std::string with_budget(const test::TempDir& dir, const std::string& budget) {
  std::string path = test::demo_config(dir, 150);
  std::string cfg = test::read_file(path);
  if (!budget.empty()) cfg.replace(cfg.find("\"sources\""), 0, "\"memory_budget_mb\": " + budget + ", ");
  test::write_file(path, cfg);
  return path;
}

TEST(DatasetCache, TheSinksWriteTheSameBytesFromMemoryFromTheSpillAndFromTheStore) {
  struct Path {
    std::string name, budget, env, says;
  };
  const Path paths[] = {
      {"memory", "", "", "3 times, 2 of them from the first walk's copies ("},
      {"spilled", "0.2", "", "3 times, 2 of them from the first walk's copies ("},
      {"given up", "0.2", "TMPDIR=/nonexistent/sendhub ", "3 times, 0 of them from the first walk's copies"},
      {"store", "0", "", "3 times, 0 of them from the first walk's copies"},
  };
  std::map<std::string, std::map<std::string, std::string>> got;
  for (const auto& p : paths) {
    test::TempDir dir;
    auto r = test::run(p.env + SENDHUB_BINARY " run --as-at 2026-01-15 --config " + with_budget(dir, p.budget));
    ASSERT_EQ(r.code, 0) << p.name << ": " << r.output;
    EXPECT_NE(r.output.find("sinks walked the dataset " + p.says), std::string::npos) << p.name << ": " << r.output;
    EXPECT_EQ(r.output.find("MB in a temporary file") != std::string::npos, p.name == "spilled") << p.name << ": " << r.output;
    EXPECT_EQ(r.output.find("the copies were given up") != std::string::npos, p.name == "given up") << p.name << ": " << r.output;
    got[p.name] = test::output_files(dir / "var/out", dir / "");
  }
  ASSERT_GT(got["store"].size(), 10u);
  EXPECT_EQ(got["memory"], got["store"]) << "kept in memory, or always from the store";
  EXPECT_EQ(got["spilled"], got["store"]) << "over the budget: the copies in a temporary file";
  EXPECT_EQ(got["given up"], got["store"]) << "no temporary file: dropped half way, then from the store";
}

// A run remembers what its copies took: the next run's copies, over the budget as they were,
// go to the temporary file from the first group on (none held in memory) and write the same bytes.
TEST(DatasetCache, CopiesOverTheBudgetLastRunGoStraightToTheFileAndWriteTheSameBytes) {
  test::TempDir dir;
  const std::string cfg = with_budget(dir, "0.2");
  auto first = test::sendhub("run --as-at 2026-01-15 --config " + cfg);
  ASSERT_EQ(first.code, 0) << first.output;
  EXPECT_NE(first.output.find("MB in a temporary file)"), std::string::npos) << first.output;
  EXPECT_EQ(first.output.find("the last run's were over the budget"), std::string::npos) << "nothing known yet";
  const auto reference = test::output_files(dir / "var/out", dir / "");
  std::filesystem::remove_all(dir / "var/out");   // the sinks write again, walking the dataset
  auto second = test::sendhub("run --as-at 2026-01-15 --config " + cfg);
  ASSERT_EQ(second.code, 0) << second.output;
  EXPECT_NE(second.output.find("(0 MB in memory of the 0 MB budget, "), std::string::npos) << second.output;
  EXPECT_NE(second.output.find("all of them: the last run's were over the budget)"), std::string::npos) << second.output;
  EXPECT_EQ(test::output_files(dir / "var/out", dir / ""), reference);

  // Within the budget again (a bigger one): held in memory.
  test::write_file(cfg, test::read_file(cfg).replace(test::read_file(cfg).find("0.2"), 3, "256"));
  std::filesystem::remove_all(dir / "var/out");
  auto third = test::sendhub("run --as-at 2026-01-15 --config " + cfg);
  ASSERT_EQ(third.code, 0) << third.output;
  EXPECT_EQ(third.output.find("MB in a temporary file"), std::string::npos) << third.output;
  EXPECT_EQ(test::output_files(dir / "var/out", dir / ""), reference);
}

// The return sink asks for loaded returns, in its own order: run after another sink it is
// served from that sink's copies (merged groups with the records of every return year beside
// them), and must write what it writes from the store.
TEST(DatasetCache, AReturnServedFromAnotherSinksCopiesIsTheReturnFromTheStore) {
  std::map<std::string, std::map<std::string, std::string>> got;
  for (const std::string budget : {"", "0"}) {
    test::TempDir dir;
    const std::string path = with_budget(dir, budget);
    auto cfg = Poco::JSON::Parser().parse(test::read_file(path)).extract<Poco::JSON::Object::Ptr>();
    auto sinks = cfg->getArray("sinks");
    Poco::JSON::Array::Ptr moved = new Poco::JSON::Array;
    for (std::size_t i = 1; i < sinks->size(); ++i) moved->add(sinks->get(static_cast<unsigned>(i)));
    moved->add(sinks->get(0));   // the return last
    cfg->set("sinks", moved);
    std::ostringstream text;
    cfg->stringify(text);
    test::write_file(path, text.str());
    auto r = test::run(SENDHUB_BINARY " run --as-at 2026-01-15 --config " + path);
    ASSERT_EQ(r.code, 0) << budget << ": " << r.output;
    EXPECT_NE(r.output.find(budget.empty() ? "3 times, 2 of them from the first walk's copies" : "3 times, 0 of them"),
              std::string::npos) << r.output;
    got[budget] = test::output_files(dir / "var/out", dir / "");
  }
  ASSERT_GT(got["0"].size(), 10u);
  EXPECT_EQ(got[""], got["0"]);
}

// What the walk cache keeps: the merged records, and beside them the loadable ones, which a
// walk that asks for no loaded return does not read.
TEST(DatasetCache, AMergedGroupComesBackWithItsLoadableRecordsInOrder) {
  PersonGroup g;
  g.person_key = "0123456789abcdef";
  auto record = [&](RecordKind kind, const char* source, int year, const char* path) {
    Record r(kind);
    r.set("person_ref", g.person_key);
    r.source = source;
    r.return_year = year;
    r.origin = Where{std::string("/data/") + source, 7, path};
    r.person_key = g.person_key;
    r.case_key = year ? "case-1" : "";
    return r;
  };
  g.records = {record(RecordKind::person, "cms-people", 0, ""), record(RecordKind::request, "sen2", 2026, "/Message/Persons/Person[3]/Requests[1]")};
  const std::vector<Record> raw = {record(RecordKind::person, "sen2", 2025, "/Message/Persons/Person[9]"),
                                   record(RecordKind::person, "sen2", 2026, "/Message/Persons/Person[3]"),
                                   record(RecordKind::request, "sen2", 2025, "/Message/Persons/Person[9]/Requests[1]")};
  std::vector<const Record*> loadable;
  loadable.reserve(raw.size());
  for (const auto& r : raw) loadable.push_back(&r);
  const std::string bytes = group_codec::encode_merged(g, loadable);
  auto same = [](const Record& a, const Record& b) {
    EXPECT_EQ(a.kind(), b.kind());
    for (std::size_t f = 0; f < a.size(); ++f) EXPECT_EQ(a.at(f), b.at(f));
    EXPECT_EQ(a.origin.path, b.origin.path);
    EXPECT_EQ(a.return_year, b.return_year);
    EXPECT_EQ(a.source, b.source);
    EXPECT_EQ(a.case_key, b.case_key);
  };
  std::vector<Record> back;
  const PersonGroup whole = group_codec::decode_merged(bytes, &back);
  EXPECT_EQ(whole.person_key, g.person_key);
  ASSERT_EQ(whole.records.size(), 2u);
  ASSERT_EQ(back.size(), 3u);
  for (std::size_t i = 0; i < 2; ++i) same(whole.records[i], g.records[i]);
  for (std::size_t i = 0; i < 3; ++i) same(back[i], raw[i]);
  EXPECT_TRUE(whole.loaded.empty());
  const PersonGroup merged_only = group_codec::decode_merged(bytes, nullptr);
  ASSERT_EQ(merged_only.records.size(), 2u);
  same(merged_only.records[1], g.records[1]);
  // Only some years' loadable records: the others read past, and the paths of those kept (each
  // stored as what differs from the record before's, read past or not) whole.
  group_codec::Buffers buffers;
  PersonGroup into;
  for (const auto& [years, want] : std::vector<std::pair<std::vector<int>, std::vector<std::size_t>>>{
           {{2025}, {0, 2}}, {{2026}, {1}}, {{2024}, {}}, {{2026, 2025}, {0, 1, 2}}}) {
    std::vector<Record> some;
    group_codec::decode_merged(bytes, into, &some, buffers, &years);
    ASSERT_EQ(some.size(), want.size()) << years.front();
    for (std::size_t i = 0; i < want.size(); ++i) {
      same(some[i], raw[want[i]]);
      EXPECT_EQ(some[i].origin.file, raw[want[i]].origin.file);
      EXPECT_EQ(some[i].person_key, raw[want[i]].person_key);
    }
    ASSERT_EQ(into.records.size(), 2u);
    same(into.records[1], g.records[1]);
    std::vector<Record> part;
    EXPECT_THROW(group_codec::decode_merged(bytes.substr(0, bytes.size() - 1), into, &part, buffers, &years), Error)
        << "a copy cut short is found whatever is read past";
  }
  for (std::size_t n = 0; n + 1 < bytes.size(); n += 3) {
    std::vector<Record> part;
    EXPECT_THROW(group_codec::decode_merged(bytes.substr(0, n), &part), Error) << n;
  }
}

// A walk decodes group after group into the same buffers (group_codec::Buffers): whatever the
// groups' sizes and kinds, and whatever the sink did to the last one (moved records away,
// changed its strings), each comes back as a fresh decode gives it.
TEST(DatasetCache, GroupsDecodedIntoTheSameBuffersComeBackAsDecodedAfresh) {
  auto group = [](int people, int requests, const std::string& tag) {
    PersonGroup g;
    g.person_key = "person-key-of-some-length-" + tag;
    Record p(RecordKind::person);
    p.set("person_ref", g.person_key).set("surname", "A surname longer than fifteen " + tag);
    p.origin = Where{"/data/a/long/folder/name/people-" + tag + ".csv", 3, ""};
    p.source = "cms-people-source";
    p.person_key = g.person_key;
    for (int i = 0; i < people; ++i) g.records.push_back(p);
    for (int i = 0; i < requests; ++i) {
      Record r(RecordKind::request);
      r.set("request_ref", "R" + std::to_string(i)).set("received_date", "2025-0" + std::to_string(1 + i % 9) + "-01");
      r.origin = Where{"/data/sen2/return-" + tag + ".xml", 10 + i, "/Message/Persons/Person[" + tag + "]/Requests[" + std::to_string(i) + "]"};
      r.source = i % 2 ? "sen2" : "sen2-returns-of-the-council";
      r.return_year = 2026;
      r.person_key = g.person_key;
      r.case_key = g.person_key + "/case-" + std::to_string(i);
      if (i == 1) r.extras = {{"case_officer", "someone"}};
      g.records.push_back(r);
    }
    std::vector<const Record*> loadable;
    for (const auto& r : g.records)
      if (r.return_year) loadable.push_back(&r);
    return group_codec::encode_merged(g, loadable);
  };
  auto same = [](const PersonGroup& a, const PersonGroup& b, const std::string& why) {
    EXPECT_EQ(a.person_key, b.person_key) << why;
    ASSERT_EQ(a.records.size(), b.records.size()) << why;
    for (std::size_t i = 0; i < a.records.size(); ++i) {
      const Record &x = a.records[i], &y = b.records[i];
      EXPECT_EQ(x.kind(), y.kind()) << why;
      for (std::size_t f = 0; f < x.size(); ++f) EXPECT_EQ(x.at(f), y.at(f)) << why;
      EXPECT_EQ(x.origin.file, y.origin.file) << why;
      EXPECT_EQ(x.origin.line, y.origin.line) << why;
      EXPECT_EQ(x.origin.path, y.origin.path) << why;
      EXPECT_EQ(x.source, y.source) << why;
      EXPECT_EQ(x.person_key, y.person_key) << why;
      EXPECT_EQ(x.case_key, y.case_key) << why;
      EXPECT_EQ(x.extras, y.extras) << why;
      EXPECT_EQ(x.return_year, y.return_year) << why;
      EXPECT_EQ(x.run_id, y.run_id) << why;
      for (const auto& field : x.kind_spec().fields) EXPECT_EQ(x.line_of(field.name), y.line_of(field.name)) << why;
    }
  };
  const std::vector<std::string> walk = {group(1, 3, "1"), group(2, 9, "22"), group(1, 0, "333"), group(0, 4, "4"),
                                         group(1, 12, "55555"), group(1, 1, "6")};
  group_codec::Buffers buffers;
  PersonGroup into;
  std::vector<Record> loadable;
  for (int round = 0; round < 2; ++round)
    for (std::size_t i = 0; i < walk.size(); ++i) {
      const std::string why = "group " + std::to_string(i) + ", round " + std::to_string(round);
      std::vector<Record> fresh_loadable;
      const PersonGroup fresh = group_codec::decode_merged(walk[i], &fresh_loadable);
      group_codec::decode_merged(walk[i], into, i % 2 ? &loadable : nullptr, buffers);
      same(into, fresh, why);
      if (i % 2) {
        ASSERT_EQ(loadable.size(), fresh_loadable.size()) << why;
        for (std::size_t k = 0; k < loadable.size(); ++k) EXPECT_EQ(loadable[k].origin.path, fresh_loadable[k].origin.path) << why;
      }
      // What a sink may do to the group it is given before the next is decoded into it: change
      // its records (a field with its line, an extra, the keys; the next decode makes them as new
      // again), replace one by another kind's, or move them all away.
      if (round == 1 && !into.records.empty() && i % 3 != 0) {
        Record& first = into.records.front();
        first.set(first.kind_spec().fields[1].name, "changed by the visit, and longer than fifteen", 99);
        first.extras["added_by_the_visit"] = "x";
        first.return_year = 1999;
        first.run_id = 42;
        first.origin.path += "/changed";
        into.records.back().case_key += std::string(100, 'z');
        if (into.records.size() > 1) into.records[1] = Record(RecordKind::advice);
      } else if (round == 1 && !into.records.empty()) {
        into.records.front().origin.file.clear();
        into.records.back().case_key += std::string(100, 'z');
        std::vector<Record> taken = std::move(into.records);
        into.person_key.clear();
      }
    }
  EXPECT_THROW(group_codec::decode_merged(walk[1].substr(0, walk[1].size() / 2), into, &loadable, buffers), Error);
  group_codec::decode_merged(walk[0], into, nullptr, buffers);   // and after the throw, as ever
  same(into, group_codec::decode_merged(walk[0], nullptr), "after a group's bytes ended too soon");
}

// Every field of a record, and little beyond the texts (the group's copy in the walk cache and,
// between runs, in a file store).
TEST(DatasetCache, AGroupComesBackFromItsBytesAsItWent) {
  PersonGroup g;
  g.person_key = "0123456789abcdef";
  Record p(RecordKind::person);
  p.set("person_ref", g.person_key).set("surname", "O'Neil \xC3\xA9").set("birth_date", "2015-03-03");
  p.origin = Where{"/data/cms/people.csv", 12, ""};
  p.source = "cms-people";
  p.person_key = g.person_key;
  p.extras = {{"disability", "Y"}, {"social_care_team", std::string(40, 'x')}};
  Record q(RecordKind::pupil);
  q.set("person_ref", g.person_key).set("census_date", "2026-01-15").set("urn", "100001").set("nc_year", "-2");
  q.origin = Where{"/data/census.csv", -1, "row"};
  q.return_year = 2026;
  q.run_id = 1234567890123;
  q.case_key = "case-1";
  g.records = {p, q, p};
  const std::string bytes = group_codec::encode_merged(g, {});
  const PersonGroup back = group_codec::decode_merged(bytes, nullptr);
  EXPECT_EQ(back.person_key, g.person_key);
  ASSERT_EQ(back.records.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    const Record &a = g.records[i], &b = back.records[i];
    EXPECT_EQ(a.kind(), b.kind());
    for (std::size_t f = 0; f < a.size(); ++f) EXPECT_EQ(a.at(f), b.at(f));
    EXPECT_EQ(a.origin.file, b.origin.file);
    EXPECT_EQ(a.origin.line, b.origin.line);
    EXPECT_EQ(a.origin.path, b.origin.path);
    EXPECT_EQ(a.return_year, b.return_year);
    EXPECT_EQ(a.source, b.source);
    EXPECT_EQ(a.run_id, b.run_id);
    EXPECT_EQ(a.person_key, b.person_key);
    EXPECT_EQ(a.case_key, b.case_key);
    EXPECT_EQ(a.extras, b.extras);
  }
  // Little beyond the texts: a length byte a field, a few numbers a record, and the texts the
  // records repeat (file, source, keys, extra column names) once. Objects would hold ~30
  // strings of 32 bytes a record.
  std::size_t texts = g.person_key.size() + "/data/cms/people.csv"s.size() + "/data/census.csv"s.size() +
                      "cms-people"s.size() + "case-1"s.size() + "disability"s.size() + "social_care_team"s.size(),
              slots = 0;
  for (const auto& r : g.records) {
    for (std::size_t f = 0; f < r.size(); ++f) texts += r.at(f).size();
    for (const auto& [name, value] : r.extras) texts += value.size();
    texts += r.origin.path.size();
    slots += r.size() + 16;   // a length a field; kind, line, year, run, the listed texts
  }
  EXPECT_LE(bytes.size(), texts + slots + 64) << "texts " << texts << ", slots " << slots;
}

// A copy read back from a store is checked as it is read: bytes cut short, or naming a text
// or a kind they do not hold, are an error (rule store.copy), never a crash or a wrong group.
TEST(DatasetCache, BytesCutShortOrWrongAreAnErrorNotACrash) {
  PersonGroup g;
  g.person_key = "k";
  Record p(RecordKind::person);
  p.set("person_ref", "k").set("surname", "Smith");
  p.origin = Where{"/data/people.csv", 2, ""};
  g.records = {p};
  Record loadable = p;
  loadable.return_year = 2026;
  const std::string bytes = group_codec::encode_merged(g, {&loadable});
  std::vector<Record> back;
  for (std::size_t n = 0; n < bytes.size(); ++n) {
    try {
      group_codec::decode_merged(bytes.substr(0, n), &back);
      ADD_FAILURE() << "read " << n << " of " << bytes.size() << " bytes as a whole group";
    } catch (const Error& e) {
      EXPECT_EQ(e.rule(), "store.copy") << n;
    }
  }
  std::string wrong = bytes;
  wrong[0] = '\x7f';   // a table of 127 texts the bytes do not hold
  EXPECT_THROW(group_codec::decode_merged(wrong, &back), Error);
  EXPECT_THROW(group_codec::decode_merged(bytes + "x", &back), Error) << "bytes past the group";
}

TEST(DatasetCache, TheBudgetIsANumberOfMegabytesNotBelowZero) {
  test::TempDir dir;
  auto r = test::sendhub("check --config " + with_budget(dir, "-1"));
  EXPECT_EQ(r.code, 2) << r.output;
  EXPECT_NE(r.output.find("memory_budget_mb"), std::string::npos) << r.output;
}

}  // namespace
}  // namespace sendhub
