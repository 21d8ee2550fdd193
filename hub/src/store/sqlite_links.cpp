#include "store/sqlite_links.h"

#include "store/sqlite_dataset.h"
#include "store/sqlite_sync.h"

namespace sendhub::sqlite {
namespace {

std::vector<std::string> linked_columns() {
  std::vector<std::string> cols{"person_key"};
  for (const auto& f : spec(RecordKind::person).fields)
    if (f.name != "person_ref") cols.emplace_back(f.name);
  cols.emplace_back("origins");
  return cols;
}

}  // namespace

std::int64_t save_links(Db& db, const LinkSet& links, std::int64_t data_version,
                      const std::map<std::string, std::string>& request_sources) {
  // Each list handed over a row at a time.
  auto rows_of = [](const auto& list, auto to_row) {
    return [&list, to_row, i = std::size_t{0}](Row& row) mutable {
      if (i == list.size()) return false;
      to_row(list[i++], row);
      return true;
    };
  };
  auto persons = rows_of(links.persons, [](const PersonLink& l, Row& r) { r = {l.source, l.person_ref, l.person_key, l.rule}; });
  auto requests = rows_of(links.requests, [](const RequestLink& l, Row& r) {
    r = {l.source, l.request_ref, l.person_key, l.case_key, l.rule};
  });
  auto advice = rows_of(links.advice, [](const AdviceLink& l, Row& r) {
    r = {l.source, l.advice_ref, l.person_key, l.request_source, l.request_ref, l.rule};
  });
  auto linked = rows_of(links.linked, [](const LinkedPerson& p, Row& r) {
    r = {p.person_key};
    r.insert(r.end(), p.values.begin(), p.values.end());
    r.push_back(p.origins);
  });
  auto conflicts = rows_of(links.conflicts, [](const LinkConflict& c, Row& r) { r = {c.person_key, c.field, c.sources, c.winner}; });
  return in_transaction(db, [&] {
    std::int64_t n = sync_rows(db, "person_link", {"source", "person_ref", "person_key", "rule"}, 2, persons);
    n += sync_rows(db, "request_link", {"source", "request_ref", "person_key", "case_key", "rule"}, 2, requests);
    n += sync_rows(db, "advice_link", {"source", "advice_ref", "person_key", "request_source", "request_ref", "rule"}, 2, advice);
    n += sync_rows(db, "linked_person", linked_columns(), 1, linked);
    n += sync_rows(db, "link_conflicts", {"person_key", "field", "sources", "winner"}, 2, conflicts);
    index_dataset(db, request_sources);
    if (n > 0)  // what sinks read changed even when the data did not (a new precedence, say)
      db.exec("INSERT OR REPLACE INTO dataset_state(key, value) SELECT 'links_revision', "
               "COALESCE((SELECT CAST(value AS INTEGER) FROM dataset_state WHERE key = 'links_revision'), 0) + 1");
    Stmt v(db, "UPDATE dataset_state SET value = ?1 WHERE key = 'linked_version'");
    v.bind(1, std::to_string(data_version)).run();
    db.exec("UPDATE dataset_state SET value = NULL WHERE key = 'link_error'");
    return n;
  });
}

LinkSet read_links(Db& db) {
  LinkSet out;
  for (auto& r : read_rows(db, "person_link", {"source", "person_ref", "person_key", "rule"}))
    out.persons.push_back({r[0], r[1], r[2], r[3]});
  for (auto& r : read_rows(db, "request_link", {"source", "request_ref", "person_key", "case_key", "rule"}))
    out.requests.push_back({r[0], r[1], r[2], r[3], r[4]});
  for (auto& r : read_rows(db, "advice_link", {"source", "advice_ref", "person_key", "request_source", "request_ref", "rule"}))
    out.advice.push_back({r[0], r[1], r[2], r[3], r[4], r[5]});
  for (auto& r : read_rows(db, "linked_person", linked_columns())) {
    LinkedPerson p{r.front(), {r.begin() + 1, r.end() - 1}, r.back()};
    out.linked.push_back(std::move(p));
  }
  for (auto& r : read_rows(db, "link_conflicts", {"person_key", "field", "sources", "winner"}))
    out.conflicts.push_back({r[0], r[1], r[2], r[3]});
  return out;
}

}  // namespace sendhub::sqlite
