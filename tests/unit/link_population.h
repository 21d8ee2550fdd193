// link_population.h: a population built to collide (few names, birth dates, UPNs and NHS
// numbers, typos, shared request references), changed at random and loaded as sources load
// files; linking it; and everything linking leaves, as text, to compare two stores by
// (incremental_link_test.cpp, group_copies_test.cpp).
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <memory>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <tuple>
#include <vector>

#include "link/linker.h"
#include "store/store.h"
#include "text/identifiers.h"

namespace sendhub::link_test {

inline const std::string kRules = SENDHUB_SOURCE_DIR "/schemas/link/rules.json";
inline const std::string kSchemas = SENDHUB_SOURCE_DIR "/schemas";

inline std::string valid_upn(int n) {
  std::string upn = "A351200" + std::to_string(100000 + n).substr(0, 6);
  upn[0] = text::upn_check_letter(upn);
  return upn;
}

inline std::string valid_nhs(int n) {
  for (int base = 400000000 + n * 7;; ++base) {
    const std::string d = std::to_string(base);
    int sum = 0;
    for (int i = 0; i < 9; ++i) sum += (d[static_cast<std::size_t>(i)] - '0') * (10 - i);
    const int check = (11 - sum % 11) % 11;
    if (check != 10) return d + std::to_string(check);
  }
}

// Records by (kind, source, key): what each source's file holds now.
class Population {
 public:
  explicit Population(unsigned seed, bool empty = false) : rng_(seed) {
    if (empty) return;
    for (int i = 0; i < 70; ++i) add_person("cms", "C" + std::to_string(i));
    for (int i = 0; i < 70; ++i) add_person("sen2", "S" + std::to_string(i));
    for (int i = 0; i < 90; ++i) add_request();
    for (int i = 0; i < 50; ++i) add_advice();
  }

  // One random change: a person's identity, a request's person or dates, a plan, a need,
  // advice; added, changed or removed.
  void change() {
    switch (pick(9)) {
      case 0: add_person(pick(2) ? "cms" : "sen2", "N" + std::to_string(pick(20))); break;   // maybe named already
      case 1: remove(RecordKind::person); break;
      case 2: case 3: if (auto* p = any(RecordKind::person)) fill_person(*p); break;
      case 4: add_request(); break;
      case 5: if (auto* r = any(RecordKind::request)) fill_request(*r); break;
      case 6: remove(pick(2) ? RecordKind::request : RecordKind::plan); break;
      case 7: add_advice(); break;
      default: if (auto* a = any(RecordKind::advice)) fill_advice(*a); else remove(RecordKind::advice); break;
    }
  }

  Record& put(Record r) {
    Key k{static_cast<int>(r.kind()), r.source, r.key()};
    records_.erase(k);
    return records_.emplace(k, std::move(r)).first->second;
  }
  void erase(RecordKind kind, const std::string& source, const std::string& key) {
    records_.erase(Key{static_cast<int>(kind), source, key});
  }

  // Each source's file read whole, as a connector does: unchanged records stay, changed
  // ones are stored, missing ones removed.
  // The sen2 source's records as a loaded SEN2 return of `year` (0: none, the default).
  void sen2_return_year(int year) { sen2_year_ = year; }
  // Each record's line in its source's file, counted in key order (else 0): a record put or
  // removed moves the lines of those after it, as in a real file.
  void number_lines(bool on) { number_lines_ = on; }

  void load(Store& store, std::int64_t run) const {
    for (const std::string source : {"cms", "sen2", "health"}) {
      store.begin();
      store.begin_file(source, source + ".dat");
      std::int64_t line = 0;
      for (const auto& [key, r] : records_)
        if (std::get<1>(key) == source) {
          Record copy = r;
          copy.origin = Where{source + ".dat", number_lines_ ? ++line : 0, ""};
          if (source == "sen2") copy.return_year = sen2_year_;
          EXPECT_TRUE(store.keep(copy));
          store.write(copy, source, run);
        }
      store.end_file(source, {source + ".dat"});
      store.data_changed();
      store.commit();
    }
  }

 private:
  using Key = std::tuple<int, std::string, std::string>;

  int pick(int n) { return static_cast<int>(rng_() % static_cast<unsigned>(n)); }
  template <class T>
  const T& one_of(const std::vector<T>& v) { return v[static_cast<std::size_t>(pick(static_cast<int>(v.size())))]; }
  std::string date() { return "2024-0" + std::to_string(1 + pick(2)) + "-1" + std::to_string(pick(2)); }

  Record* any(RecordKind kind) {
    std::vector<Record*> all;
    for (auto& [k, r] : records_)
      if (std::get<0>(k) == static_cast<int>(kind)) all.push_back(&r);
    return all.empty() ? nullptr : one_of(all);
  }
  void remove(RecordKind kind) {
    if (Record* r = any(kind)) records_.erase(Key{static_cast<int>(kind), r->source, r->key()});
  }
  std::vector<std::string> refs(RecordKind kind, const std::string& source = "") const {
    std::vector<std::string> out;
    for (const auto& [k, r] : records_)
      if (std::get<0>(k) == static_cast<int>(kind) && (source.empty() || std::get<1>(k) == source)) out.push_back(r.key());
    return out;
  }

  void add_person(const std::string& source, const std::string& ref) {
    Record r(RecordKind::person);
    r.source = source;
    r.set("person_ref", ref);
    fill_person(put(std::move(r)));
  }
  void fill_person(Record& r) {
    r.set("surname", one_of<std::string>({"Smith", "SMITH", "Khan", "O'Neil"})).set("forename", one_of<std::string>({"Amy", "Ben"}));
    r.set("birth_date", one_of<std::string>({"2014-01-01", "2014-01-02", ""})).set("postcode", one_of<std::string>({"BL9 0AB", "M1 1AE", ""}));
    std::string upn = pick(3) ? valid_upn(pick(25)) : "";
    if (!upn.empty() && pick(8) == 0) upn[0] = upn[0] == 'A' ? 'B' : 'A';   // a typo: the check letter fails
    r.set("upn", upn).set("nhs_number", pick(3) == 0 ? valid_nhs(pick(15)) : "");
  }
  void add_request() {
    const std::string source = pick(2) ? "cms" : "sen2";
    Record r(RecordKind::request);
    r.source = source;
    r.set("request_ref", "R" + std::to_string(pick(60)));   // some references in both sources
    fill_request(put(std::move(r)));
  }
  void fill_request(Record& r) {
    const auto people = refs(RecordKind::person, r.source);
    // Sometimes a person not (yet) in the source: the request stays unlinked until one comes.
    r.set("person_ref", people.empty() || pick(5) == 0 ? "N" + std::to_string(pick(20)) : one_of(people));
    r.set("received_date", pick(4) ? date() : "");
    if (pick(2)) {
      Record plan(RecordKind::plan);
      plan.source = r.source;
      plan.set("request_ref", r.get("request_ref")).set("start_date", date());
      put(std::move(plan));
    }
    Record need(RecordKind::need);
    need.source = r.source;
    need.set("request_ref", r.get("request_ref")).set("seq", "1").set("sen_type", one_of<std::string>({"ASD", "SEMH"}));
    put(std::move(need));
  }
  void add_advice() {
    Record a(RecordKind::advice);
    a.source = "health";
    a.set("advice_ref", "A" + std::to_string(next_++));
    fill_advice(put(std::move(a)));
  }
  void fill_advice(Record& a) {
    const auto requests = refs(RecordKind::request);
    a.set("request_ref", pick(2) && !requests.empty() ? one_of(requests) : pick(2) ? "R" + std::to_string(pick(60)) : "");
    a.set("nhs_number", pick(2) ? valid_nhs(pick(15)) : "").set("requested_date", date()).set("advice_type", "health");
  }

  std::mt19937 rng_;
  int next_ = 0;
  std::map<Key, Record> records_;
  int sen2_year_ = 0;
  bool number_lines_ = false;
};

inline LinkCounts link(Store& store, bool only_changes) {
  auto scratch = store.link_scratch({});
  const LinkCounts counts = link_dataset(*scratch, {{{"cms", "cms_csv"}, {"sen2", "sen2_xml"}, {"health", "fhir_advice"}}, {}, "salt", only_changes},
                                         load_link_rules(kRules));
  scratch->save(store.link_state().data_version, {});
  return counts;
}

// A store holding `population`, linked; as_run: holding the run lock, as a run does (only a
// run's walks keep parts).
inline std::unique_ptr<Store> linked_store(const std::string& path, const Population& population, bool as_run = true) {
  auto store = open_sqlite_store(path, kSchemas);
  if (as_run && !store->try_lock_run()) throw std::runtime_error("the run lock is held");
  population.load(*store, store->begin_run("2026-01-15"));
  link(*store, true);
  return store;
}

// A group as text: each record whole (but the run that stored it: the stores load in different
// runs), sorted; "END" closes it, so that a copy cut short is told (read_text_copy).
inline std::string text_copy(const StoredGroup& g) {
  std::ostringstream out;
  std::vector<std::string> records;
  for (const auto& r : g.records) {
    std::string line = std::to_string(static_cast<int>(r.kind())) + ' ' + r.source + ' ' + r.key() + ' ' + r.case_key + ' ' +
                       r.person_key + ' ' + r.origin.file + ':' + std::to_string(r.origin.line) + ' ' +
                       std::to_string(r.return_year);
    for (std::size_t i = 0; i < r.size(); ++i) line += '|' + r.at(i);
    records.push_back(line);
  }
  std::sort(records.begin(), records.end());
  out << "G " << g.key << (g.person ? " person " + g.person->origins : "") << '\n';
  if (g.person) {
    for (const auto& v : g.person->values) out << '|' << v;
    out << '\n';
  }
  for (const auto& r : records) out << "  " << r << '\n';
  out << "END\n";
  return out.str();
}

// The group a text copy holds; Error (rule store.copy) when it was cut short, as the hub's own
// copies are found damaged (group_codec.h).
inline std::string read_text_copy(std::string_view copy) {
  constexpr std::string_view end = "END\n";
  if (copy.size() < end.size() || copy.substr(copy.size() - end.size()) != end)
    throw Error(Where{}, "", "store.copy", "a group's copy ends too soon");
  return std::string(copy.substr(0, copy.size() - end.size()));
}

inline const CopyMaker kTextCopies{"text copies 1", [](StoredGroup& g) { return text_copy(g); }};

// Everything linking leaves, as text: the links, resolved people and conflicts, and each
// group as sinks read it (records sorted within it).
inline std::string everything(Store& store) {
  std::ostringstream out;
  const LinkSet l = store.read_links();
  for (const auto& p : l.persons) out << "P " << p.source << ' ' << p.person_ref << ' ' << p.person_key << ' ' << p.rule << '\n';
  for (const auto& r : l.requests)
    out << "R " << r.source << ' ' << r.request_ref << ' ' << r.person_key << ' ' << r.case_key << ' ' << r.rule << '\n';
  for (const auto& a : l.advice)
    out << "A " << a.source << ' ' << a.advice_ref << ' ' << a.person_key << ' ' << a.request_source << ' ' << a.request_ref
        << ' ' << a.rule << '\n';
  for (const auto& p : l.linked) {
    out << "L " << p.person_key << ' ' << p.origins;
    for (const auto& v : p.values) out << '|' << v;
    out << '\n';
  }
  for (const auto& c : l.conflicts) out << "C " << c.person_key << ' ' << c.field << ' ' << c.sources << ' ' << c.winner << '\n';
  // Each group's copy (store.h, CopyMaker: here the group as text), so that a group a walk reads
  // from a stale copy (sqlite_group_copies.h) differs.
  store.each_copy(0, kTextCopies, [&](const std::string&, std::string_view copy) { out << read_text_copy(copy); });
  return out.str();
}

inline Record make(RecordKind kind, const std::string& source, std::initializer_list<std::pair<const char*, std::string>> fields) {
  Record r(kind);
  r.source = source;
  for (const auto& [f, v] : fields) r.set(f, v);
  return r;
}

}  // namespace sendhub::link_test
