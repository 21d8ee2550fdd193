#include "store/sqlite/sqlite_links.h"

#include <tuple>

#include "store/sqlite/sqlite_dataset.h"
#include "store/sqlite/sqlite_group_copies.h"
#include "store/sqlite/sqlite_link_scope.h"
#include "store/sqlite/sqlite_link_changes.h"
#include "store/sqlite/sqlite_sync.h"

namespace sendhub::sqlite {
void finish_links(Db& db, std::int64_t changed, std::int64_t data_version,
                  const std::map<std::string, std::string>& request_sources, LinkScope* scope) {
  CopyUpkeep copies(db, scope && scope->narrowed());
  index_dataset(db, request_sources, scope);
  if (changed > 0)  // what sinks read changed even when the data did not (a new precedence, say)
    db.exec("INSERT OR REPLACE INTO dataset_state(key, value) SELECT 'links_revision', "
            "COALESCE((SELECT CAST(value AS INTEGER) FROM dataset_state WHERE key = 'links_revision'), 0) + 1");
  Stmt v(db, "UPDATE dataset_state SET value = ?1 WHERE key = 'linked_version'");
  v.bind(1, std::to_string(data_version)).run();
  db.exec("UPDATE dataset_state SET value = NULL WHERE key = 'link_error'");
  copies.done(data_version);
}

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
    std::int64_t n = sync_rows(db, "person_link", link_columns("person_link"), 2, persons);
    n += sync_rows(db, "request_link", link_columns("request_link"), 2, requests);
    n += sync_rows(db, "advice_link", link_columns("advice_link"), 2, advice);
    n += sync_rows(db, "linked_person", link_columns("linked_person"), 1, linked);
    n += sync_rows(db, "link_conflicts", link_columns("link_conflicts"), 2, conflicts);
    finish_links(db, n, data_version, request_sources);
    link_changes_untracked(db);   // no keys kept: the next linking compares everything
    return n;
  });
}

LinkSet read_links(Db& db, const std::string& person_key) {
  const std::string where = person_key.empty() ? "" : "person_key";
  auto rows = [&](const std::string& table) { return read_rows(db, table, link_columns(table), where, person_key); };
  return store::link_set(rows);
}

std::vector<Record> linked_records_of(Db& db, const std::string& person_key) {
  std::vector<Record> out;
  for (const auto& [kind, sql] : store::linked_record_queries("?1")) {
    Stmt s(db, sql);
    s.bind_text(1, person_key);
    while (s.step()) out.push_back(read_record(s, kind, 0));
  }
  return out;
}

std::int64_t linked_records(Db& db) {
  Stmt s(db, "SELECT COUNT(*) FROM person_link");
  return s.step() ? s.integer(0) : 0;
}

std::map<std::string, Store::UnlinkedRequests> unlinked_requests(Db& db) {
  std::map<std::string, Store::UnlinkedRequests> out;
  Stmt counts(db, "SELECT source, COUNT(*) FROM request_link WHERE COALESCE(person_key, '') = '' GROUP BY source");
  while (counts.step()) out[counts.text(0)].count = counts.integer(1);
  if (out.empty()) return out;
  std::vector<std::string> person_sources;
  Stmt sources(db, "SELECT DISTINCT source FROM person");
  while (sources.step()) person_sources.push_back(sources.text(0));
  Stmt named(db, "SELECT l.source, COUNT(*) FROM request_link l JOIN request r ON r.source = l.source AND r.rkey = l.request_ref "
                 "WHERE COALESCE(l.person_key, '') = '' AND l.source <> ?1 "
                 "AND EXISTS (SELECT 1 FROM person p WHERE p.source = ?1 AND p.rkey = r.person_ref) GROUP BY l.source");
  for (const auto& person_source : person_sources) {
    named.reset().bind(1, person_source);
    while (named.step()) out[named.text(0)].named_in[person_source] = named.integer(1);
  }
  return out;
}

}  // namespace sendhub::sqlite
