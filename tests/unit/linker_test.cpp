// Linking a synthetic population whose truth is known: spelling variants, a missing
// identifier, two children with the same name and birth date, a typo in a UPN.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

#include "link/linker.h"
#include "link/normalise.h"
#include "link/person_key.h"
#include "store/store.h"
#include "test_support.h"

namespace sendhub {
namespace {

const std::string kRules = SENDHUB_SOURCE_DIR "/schemas/link/rules.json";
const std::string kUpnA = "D351200012345", kUpnB1 = "P999200012345", kUpnB2 = "A950000178301";

Record person(const std::string& source, const std::string& ref, const std::string& surname, const std::string& forename,
              const std::string& birth, const std::string& upn = "", const std::string& postcode = "BL9 0AB") {
  Record r(RecordKind::person);
  r.source = source;
  r.set("person_ref", ref).set("surname", surname).set("forename", forename).set("birth_date", birth);
  r.set("upn", upn).set("postcode", postcode);
  return r;
}

Record request(const std::string& source, const std::string& ref, const std::string& person_ref, const std::string& received) {
  Record r(RecordKind::request);
  r.source = source;
  r.set("request_ref", ref).set("person_ref", person_ref).set("received_date", received);
  return r;
}

Record advice(const std::string& ref, const std::string& request_ref, const std::string& nhs, const std::string& requested) {
  Record r(RecordKind::advice);
  r.source = "health";
  r.set("advice_ref", ref).set("request_ref", request_ref).set("nhs_number", nhs).set("requested_date", requested);
  return r;
}

// The records to link and how; link_records stores them in a fresh store and links them
// as a run does (streaming, through the store's scratch tables).
struct LinkInput {
  std::vector<Record> persons, requests, advice;
  std::map<std::string, std::string> connector_of;
  std::map<std::string, std::vector<std::string>> precedence;
  std::string salt;
};

LinkSet link_records(const LinkInput& in, const LinkRules& rules, Store* into = nullptr, std::int64_t* changed = nullptr) {
  test::TempDir dir;
  std::unique_ptr<Store> own;
  if (!into) own = open_sqlite_store(dir / "s.db", SENDHUB_SOURCE_DIR "/schemas");
  Store& store = into ? *into : *own;
  const auto run = store.begin_run("2026-01-15");
  store.begin();
  for (const auto* list : {&in.persons, &in.requests, &in.advice})
    for (const auto& r : *list) store.write(r, r.source, run);
  store.commit();
  auto scratch = store.link_scratch({});
  const LinkCounts counts = link_dataset(*scratch, {in.connector_of, in.precedence, in.salt}, rules);
  const std::int64_t n = scratch->save(1, {});
  if (changed) *changed = n;
  LinkSet links = store.read_links();
  EXPECT_EQ(counts.conflicts, static_cast<std::int64_t>(links.conflicts.size()));
  EXPECT_EQ(counts.person_records, static_cast<std::int64_t>(links.persons.size()));
  return links;
}

LinkInput population() {
  LinkInput in;
  in.salt = "salt";
  in.connector_of = {{"sen2", "sen2_xml"}, {"cms", "cms_csv"}, {"other", "cms_csv"}, {"health", "fhir_advice"}};
  in.persons = {
      // Child A in three sources: spelling variants, and no UPN in the third.
      person("sen2", "2026-P1", "O'Neil", "Zo\xC3\xAB", "2014-03-02", kUpnA),
      person("cms", "C1", "ONEIL", "Zoe", "2014-03-02", kUpnA, "bl90ab"),
      person("other", "X1", "O Neil", "zoe", "2014-03-02", "", "BL9 0AB"),
      // Two different children with the same name and birth date.
      person("sen2", "2026-P2", "Brook", "Kit", "2015-07-09", kUpnB1, "M1 1AE"),
      person("cms", "C2", "Brook", "Kit", "2015-07-09", kUpnB2, "M2 2BB"),
      // A third Kit Brook with no UPN at B1's address, and a fourth with nothing to tell.
      person("other", "X2", "Brook", "Kit", "2015-07-09", "", "M1 1AE"),
      person("other", "X3", "Brook", "Kit", "2015-07-09", "", ""),
      // Child C: a typo in the case-management UPN (two digits swapped).
      person("sen2", "2026-P3", "Oakes", "Sol", "2016-01-01", "H243278544154"),
      person("cms", "C3", "Oakes", "Sol", "2016-01-01", "H243278545154"),
  };
  in.requests = {request("cms", "INV1", "C1", "2025-02-03"), request("sen2", "2026-P1-R1", "2026-P1", "2025-02-03"),
                 request("cms", "INV9", "NOBODY", "2025-02-03")};
  in.advice = {advice("A1", "INV1", "", "2025-03-12"), advice("A2", "", "9434765919", "2025-03-20"),
               advice("A3", "", "9434765918", "2025-03-20")};
  in.persons[1].set("nhs_number", "9434765919");
  return in;
}

std::map<std::string, std::string> key_of(const LinkSet& links) {
  std::map<std::string, std::string> out;
  for (const auto& l : links.persons) out[l.source + ":" + l.person_ref] = l.person_key;
  return out;
}

TEST(Linker, LinksTheSameChildAcrossSourcesDespiteSpellingAndAMissingIdentifier) {
  auto links = link_records(population(), load_link_rules(kRules));
  auto k = key_of(links);
  EXPECT_EQ(k["sen2:2026-P1"], k["cms:C1"]);
  EXPECT_EQ(k["sen2:2026-P1"], k["other:X1"]);
  EXPECT_EQ(k["sen2:2026-P1"], person_key("salt", kUpnA)) << "person_key is the HMAC of the best identifier";
  for (const auto& l : links.persons) {
    if (l.person_ref == "X1") {
      EXPECT_EQ(l.rule, "name_birth_date");
    }
  }
}

TEST(Linker, NeverLinksChildrenWhoseIdentifiersDisagreeAndLeavesAmbiguousMatchesApart) {
  auto k = key_of(link_records(population(), load_link_rules(kRules)));
  EXPECT_NE(k["sen2:2026-P2"], k["cms:C2"]);
  EXPECT_EQ(k["other:X2"], k["sen2:2026-P2"]) << "the postcode breaks the tie";
  EXPECT_NE(k["other:X3"], k["sen2:2026-P2"]);
  EXPECT_NE(k["other:X3"], k["cms:C2"]);
  std::set<std::string> people;
  for (const auto& [rec, key] : k) people.insert(key);
  EXPECT_EQ(people.size(), 5u);  // A, B1, B2, the undecidable X3, C
}

TEST(Linker, AUpnTypoIsNotAnIdentityTheValidUpnWinsAndTheDisagreementIsAConflict) {
  auto links = link_records(population(), load_link_rules(kRules));
  auto k = key_of(links);
  EXPECT_EQ(k["sen2:2026-P3"], k["cms:C3"]);
  auto c = std::find_if(links.conflicts.begin(), links.conflicts.end(),
                        [&](const LinkConflict& x) { return x.person_key == k["cms:C3"] && x.field == "upn"; });
  ASSERT_NE(c, links.conflicts.end());
  EXPECT_EQ(c->sources, "cms;sen2");
  EXPECT_EQ(c->winner, "sen2");
  auto p = std::find_if(links.linked.begin(), links.linked.end(), [&](const LinkedPerson& x) { return x.person_key == k["cms:C3"]; });
  ASSERT_NE(p, links.linked.end());
  EXPECT_NE(p->origins.find("upn=sen2|2026-P3"), std::string::npos);
}

TEST(Linker, CaseManagementWinsCaseworkFieldsAndConflictsCarryNoValues) {
  auto in = population();
  in.persons[0].set("postcode", "M9 9ZZ");  // SEN2 says another postcode for child A
  auto links = link_records(in, load_link_rules(kRules));
  auto k = key_of(links);
  auto c = std::find_if(links.conflicts.begin(), links.conflicts.end(),
                        [&](const LinkConflict& x) { return x.person_key == k["cms:C1"] && x.field == "postcode"; });
  ASSERT_NE(c, links.conflicts.end());
  EXPECT_EQ(c->winner, "cms");
  EXPECT_EQ(c->sources.find("M9"), std::string::npos);
  // Name variants that fold to the same value are not conflicts.
  EXPECT_EQ(std::count_if(links.conflicts.begin(), links.conflicts.end(),
                          [&](const LinkConflict& x) { return x.person_key == k["cms:C1"] && x.field == "surname"; }), 0);
  // The hub may put its own order first.
  in.precedence["postcode"] = {"sen2"};
  links = link_records(in, load_link_rules(kRules));
  c = std::find_if(links.conflicts.begin(), links.conflicts.end(), [&](const LinkConflict& x) { return x.field == "postcode"; });
  ASSERT_NE(c, links.conflicts.end());
  EXPECT_EQ(c->winner, "sen2");
}

TEST(Linker, RequestsJoinTheirPersonAndAdviceItsRequestOrNearestOpenRequest) {
  auto links = link_records(population(), load_link_rules(kRules));
  auto k = key_of(links);
  std::map<std::string, RequestLink> requests;
  for (const auto& r : links.requests) requests[r.request_ref] = r;
  EXPECT_EQ(requests["INV1"].person_key, k["cms:C1"]);
  EXPECT_EQ(requests["INV1"].case_key, requests["2026-P1-R1"].case_key) << "the same request in two sources";
  EXPECT_EQ(requests["INV9"].rule, "unlinked");
  std::map<std::string, AdviceLink> advice;
  for (const auto& a : links.advice) advice[a.advice_ref] = a;
  EXPECT_EQ(advice["A1"].rule, "request_ref");
  EXPECT_EQ(advice["A1"].request_source, "cms");
  EXPECT_EQ(advice["A2"].rule, "nhs_number");
  EXPECT_EQ(advice["A2"].person_key, k["cms:C1"]);
  EXPECT_EQ(advice["A2"].request_ref, "INV1");  // the case-management request, ranked first
  EXPECT_EQ(advice["A3"].rule, "unlinked") << "an NHS number failing its check links nothing";
}

TEST(Linker, UnchangedDataLinksTheSameAndACorrectionMovesARecordCleanly) {
  auto in = population();
  const auto rules = load_link_rules(kRules);
  test::TempDir dir;
  auto store = open_sqlite_store(dir / "s.db", SENDHUB_SOURCE_DIR "/schemas");
  std::int64_t changed = -1;
  auto first = link_records(in, rules, store.get(), &changed);
  EXPECT_GT(changed, 0);
  auto again = link_records(in, rules, store.get(), &changed);
  EXPECT_EQ(changed, 0) << "re-linking unchanged data changes nothing";
  EXPECT_EQ(key_of(first), key_of(again));
  EXPECT_EQ(store->save_links(again, 1), 0) << "the links as read back are the links as saved";
  // The case-management record C2 is corrected to child B1's UPN: it moves to B1.
  in.persons[4].set("upn", kUpnB1).set("postcode", "M1 1AE");
  auto moved = link_records(in, rules, store.get(), &changed);
  EXPECT_GT(changed, 0);
  auto k = key_of(moved);
  EXPECT_EQ(k["cms:C2"], k["sen2:2026-P2"]);
  auto fresh = link_records(in, rules);
  EXPECT_EQ(key_of(fresh), k) << "relinking a changed store gives what linking it afresh gives";
  EXPECT_EQ(fresh.linked.size(), moved.linked.size()) << "B2 as a person is gone, not left behind";
  EXPECT_EQ(fresh.requests.size(), moved.requests.size());
}

TEST(Linker, AStoreWithoutPersonRecordsLinksEveryRequestAndAdviceAsUnlinked) {
  auto in = population();
  in.persons.clear();
  auto links = link_records(in, load_link_rules(kRules));
  EXPECT_TRUE(links.persons.empty());
  ASSERT_EQ(links.requests.size(), 3u);
  for (const auto& r : links.requests) EXPECT_EQ(r.rule, "unlinked");
  for (const auto& r : links.requests) EXPECT_EQ(r.case_key, r.source + "/" + r.request_ref) << "each its own case";
  ASSERT_EQ(links.advice.size(), 3u);
  for (const auto& a : links.advice) EXPECT_TRUE(a.person_key.empty());
}

// A scratch that fails at the last step, after every other step has written its rows.
class FailingScratch final : public LinkScratch {
 public:
  explicit FailingScratch(std::unique_ptr<LinkScratch> s) : s_(std::move(s)) {}
  bool knows_changes() override { return s_->knows_changes(); }
  void each_changed(const std::function<void(const Record&)>& v) override { s_->each_changed(v); }
  void add_changed_person(const LinkNode& n) override { s_->add_changed_person(n); }
  void add_changed_advice(const Record& a, const std::string& n) override { s_->add_changed_advice(a, n); }
  std::int64_t narrow() override { return s_->narrow(); }
  std::int64_t person_records() override { return s_->person_records(); }
  void each_person(const std::function<void(const Record&)>& v) override { s_->each_person(v); }
  void add_node(const LinkNode& n) override { s_->add_node(n); }
  void each_bucket(std::size_t r, const std::function<void(std::vector<std::pair<std::uint32_t, std::string>>&)>& v) override {
    s_->each_bucket(r, v);
  }
  void set_root(std::uint32_t n, std::uint32_t r, const std::string& rule) override { s_->set_root(n, r, rule); }
  void each_root(const std::function<void(const LinkRoot&)>& v) override { s_->each_root(v); }
  void set_person_key(std::uint32_t r, const std::string& k) override { s_->set_person_key(r, k); }
  void each_person_requests(const std::function<void(const std::string&, std::vector<CaseRequest>&)>& v) override {
    s_->each_person_requests(v);
  }
  void add_request_link(const RequestLink& l) override { s_->add_request_link(l); }
  void each_advice(const std::function<void(const Record&)>& v) override { s_->each_advice(v); }
  std::vector<LinkedRequest> requests_with_ref(const std::string& r) override { return s_->requests_with_ref(r); }
  std::string person_with_nhs(const std::string& n) override { return s_->person_with_nhs(n); }
  std::optional<LinkedRequest> latest_request(const std::string& k, const std::string& d) override { return s_->latest_request(k, d); }
  void add_advice_link(const AdviceLink& l, const Record& a, const std::string& n) override { s_->add_advice_link(l, a, n); }
  void each_cluster(const std::function<void(const std::string&, std::vector<Record>&, std::vector<Record>&)>& v) override {
    s_->each_cluster(v);
  }
  void add_linked(const LinkedPerson&) override { throw std::runtime_error("disk full"); }
  void add_conflict(const LinkConflict& c) override { s_->add_conflict(c); }
  std::int64_t save(std::int64_t v, const std::map<std::string, std::string>& r) override { return s_->save(v, r); }
  void each_conflict(const std::function<void(const LinkConflict&)>& v) override { s_->each_conflict(v); }

 private:
  std::unique_ptr<LinkScratch> s_;
};

TEST(Linker, LinkingThatFailsHalfwayLeavesTheLinksAsTheyWere) {
  test::TempDir dir;
  auto store = open_sqlite_store(dir / "s.db", SENDHUB_SOURCE_DIR "/schemas");
  const auto rules = load_link_rules(kRules);
  auto in = population();
  const auto before = link_records(in, rules, store.get());
  in.persons[4].set("upn", kUpnB1).set("postcode", "M1 1AE");   // C2 would move to B1
  const auto run = store->begin_run("2026-01-15");
  store->begin();
  store->write(in.persons[4], "cms", run);
  store->commit();
  {
    FailingScratch scratch(store->link_scratch({}));
    EXPECT_THROW(link_dataset(scratch, {in.connector_of, in.precedence, in.salt}, rules), std::runtime_error);
  }  // dropped unsaved: rolled back
  const auto after = store->read_links();
  EXPECT_EQ(key_of(after), key_of(before));
  EXPECT_EQ(after.linked.size(), before.linked.size());
  EXPECT_EQ(after.requests.size(), before.requests.size());
  std::int64_t changed = 0;
  const auto relinked = link_records(in, rules, store.get(), &changed);
  EXPECT_GT(changed, 0) << "the scratch tables are made afresh and the next linking saves";
  EXPECT_EQ(key_of(relinked).at("cms:C2"), key_of(relinked).at("sen2:2026-P2"));
}

TEST(Normalise, NamesFoldCaseSpacesHyphensApostrophesAndAccents) {
  EXPECT_EQ(fold_name("O'Neil-Bront\xC3\xAB"), "oneilbronte");
  EXPECT_EQ(fold_name(" o\xE2\x80\x99neil bronte "), "oneilbronte");
  EXPECT_EQ(fold_name("\xC5\x81ukasz \xC3\x98stergaard"), "lukaszostergaard");
  EXPECT_EQ(fold_name("Stra\xC3\x9F" "e"), "strasse");
}

TEST(PersonKey, IsTruncatedHmacSha256) {
  // RFC 4231 test case 2.
  EXPECT_EQ(hmac_sha256_hex("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  EXPECT_EQ(person_key("Jefe", "what do ya want for nothing?"), "5bdcc146bf60754e");
  EXPECT_NE(person_key("other salt", kUpnA), person_key("salt", kUpnA));
}

// One HMAC serves a whole linking: each key is the one made afresh, whatever came before it
// (a short message, a long one past the block size, the same twice, an empty one).
TEST(PersonKey, OneHmacForManyIsEachMadeAfresh) {
  PersonKeys keys("Jefe");
  EXPECT_EQ(keys.of("what do ya want for nothing?"), "5bdcc146bf60754e");
  const std::string long_id(200, 'x');
  for (const std::string& id : {std::string(kUpnA), long_id, std::string(kUpnA), std::string(), std::string("a"), long_id})
    EXPECT_EQ(keys.of(id), person_key("Jefe", id)) << id.size();
  EXPECT_EQ(keys.of("what do ya want for nothing?"), "5bdcc146bf60754e");
}

}  // namespace
}  // namespace sendhub
