// store/pg_link_scratch.cpp: linking's working rows in the pool, as sqlite_link_scratch.cpp
// keeps them in SQLite: temporary tables on the server, filled with COPY (a round trip per
// batch, not per row), and the links replaced at save() in the one transaction linking ran
// in. The pool links a council's whole dataset each time: it does not narrow to what
// changed (SQLite's link_changes) yet.
#include <optional>

#include "store/link_rows.h"
#include "store/pg/pg_dataset.h"
#include "store/pg/pg_rows.h"
#include "store/record_rows.h"

namespace sendhub::pg {
namespace {

using store::read_record;
using store::Extras;
using store::record_columns;

std::string numbered(const char* prefix, std::size_t n, const char* suffix) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out += ", " + std::string(prefix) + std::to_string(i) + suffix;
  return out;
}

std::string copy_into(const std::string& table) {
  std::string cols;
  for (const auto& c : store::link_columns(table)) cols += (cols.empty() ? "" : ", ") + c;
  return "COPY new_" + table + " (" + cols + ") FROM STDIN";
}

const char* const kLinkTables[] = {"person_link", "request_link", "advice_link", "linked_person", "link_conflicts"};

class PgLinkScratch final : public LinkScratch {
 public:
  PgLinkScratch(Db& db, const std::map<std::string, std::string>& person_sources)
      : db_(db), members_(db, "COPY link_member (idx, root, rule) FROM STDIN"),
        keys_(db, "COPY link_key (root, person_key) FROM STDIN"), requests_(db, copy_into("request_link")),
        advice_(db, copy_into("advice_link")), adv_(db, "COPY link_adv (person_key, source, advice_ref, return_year, nhs) FROM STDIN"),
        linked_(db, copy_into("linked_person")), conflicts_(db, copy_into("link_conflicts")) {
    db_.exec("BEGIN");
    for (const char* t : {"link_node", "link_member", "link_key", "link_owner", "link_req", "link_adv", "link_nhs"})
      db_.exec("DROP TABLE IF EXISTS " + std::string(t));
    for (const char* t : kLinkTables)
      create_stage(db_, "new_" + std::string(t), t);
    const std::string text = " TEXT COLLATE \"C\"";
    db_.exec("CREATE TEMP TABLE link_owner (source" + text + " PRIMARY KEY, owner" + text + " NOT NULL)");
    for (const auto& [source, owner] : person_sources) db_.query("INSERT INTO link_owner VALUES ($1, $2)", {source, owner});
    db_.exec("CREATE TEMP TABLE link_member (idx BIGINT PRIMARY KEY, root BIGINT NOT NULL, rule" + text + ")");
    db_.exec("CREATE TEMP TABLE link_key (root BIGINT PRIMARY KEY, person_key" + text + " NOT NULL)");
    db_.exec("CREATE TEMP TABLE link_req (ord BIGINT PRIMARY KEY, request_ref" + text + ", source" + text +
             ", person_key" + text + ", received" + text + ")");
    db_.exec("CREATE TEMP TABLE link_adv (ord BIGSERIAL PRIMARY KEY, person_key" + text + ", source" + text +
             ", advice_ref" + text + ", return_year INTEGER, nhs" + text + ")");
  }
  ~PgLinkScratch() override {
    if (!saved_) db_.rollback_quietly();
  }
  PgLinkScratch(const PgLinkScratch&) = delete;
  PgLinkScratch& operator=(const PgLinkScratch&) = delete;

  bool knows_changes() override { return false; }
  void each_changed(const std::function<void(const Record&)>&) override {}
  void add_changed_person(const LinkNode&) override {}
  void add_changed_advice(const Record&, const std::string&) override {}
  std::int64_t narrow() override { return -1; }

  std::int64_t person_records() override { return number(db_, "SELECT COUNT(*) FROM person"); }

  void each_person(const std::function<void(const Record&)>& visit) override {
    each_record(RecordKind::person, "r.source, r.rkey", visit);
  }

  void add_node(const LinkNode& n) override {
    if (!nodes_) create_nodes(n);
    std::vector<Param> row{std::to_string(count_++), n.source, n.person_ref, text_or_null(n.best),
                           std::to_string(n.best_rank), text_or_null(n.postcode), text_or_null(n.nhs_number)};
    for (const auto* list : {&n.strong, &n.keys, &n.ties})
      for (const auto& v : *list) row.push_back(text_or_null(v));
    nodes_->add(std::move(row));
  }

  void each_bucket(std::size_t rule, const std::function<void(std::vector<std::pair<std::uint32_t, std::string>>&)>& visit) override {
    if (!nodes_) return;
    nodes_->flush();
    const std::string k = "k" + std::to_string(rule), t = "t" + std::to_string(rule);
    Cursor s(db_, "SELECT idx, " + t + ", " + k + " FROM link_node WHERE " + k + " IS NOT NULL ORDER BY " + k + ", idx");
    link_rows::buckets(s, visit);
  }

  void set_root(std::uint32_t node, std::uint32_t root, const std::string& rule) override {
    members_.add({std::to_string(node), std::to_string(root), text_or_null(rule)});
  }

  void each_root(const std::function<void(const LinkRoot&)>& visit) override {
    if (!nodes_) create_nodes(LinkNode{});
    nodes_->flush();
    members_.flush();
    db_.exec("ANALYZE link_node");
    db_.exec("ANALYZE link_member");
    // The lowest rank wins, the root first among equals, then the first record.
    Cursor s(db_, "WITH b AS (SELECT DISTINCT ON (m.root) m.root AS root, n.best AS best FROM link_member m "
                  "JOIN link_node n ON n.idx = m.idx ORDER BY m.root, n.best_rank * 2 + (n.idx <> m.root)::int, n.idx) "
                  "SELECT b.root, b.best, COUNT(*) OVER (PARTITION BY b.best), r.postcode, r.source, r.person_ref "
                  "FROM b JOIN link_node r ON r.idx = b.root ORDER BY b.root");
    while (s.step())
      visit({static_cast<std::uint32_t>(s.integer(0)), s.text(1), s.integer(2) > 1, s.text(3), s.text(4), s.text(5)});
  }

  void set_person_key(std::uint32_t root, const std::string& person_key) override {
    keys_.add({std::to_string(root), person_key});
  }

  void each_person_requests(const std::function<void(const std::string&, std::vector<CaseRequest>&)>& visit) override {
    keys_.flush();
    stage_person_links();
    Cursor s(db_, "SELECT COALESCE(k.person_key, ''), r.source, r.rkey, r.received_date, pl.start_date FROM request r "
                  "LEFT JOIN link_owner o ON o.source = r.source "
                  "LEFT JOIN link_node n ON n.source = COALESCE(o.owner, r.source) AND n.person_ref = r.person_ref "
                  "LEFT JOIN link_member m ON m.idx = n.idx LEFT JOIN link_key k ON k.root = m.root "
                  "LEFT JOIN plan pl ON pl.source = r.source AND pl.rkey = r.rkey "
                  "ORDER BY 1, r.source, r.file, r.line, r.rkey");
    link_rows::case_requests(s, visit);
  }

  void add_request_link(const RequestLink& l) override {
    requests_.add({l.source, l.request_ref, text_or_null(l.person_key), l.case_key, l.rule});
  }

  void each_advice(const std::function<void(const Record&)>& visit) override {
    requests_.flush();
    db_.exec("INSERT INTO link_req (ord, request_ref, source, person_key, received) SELECT row_number() OVER "
             "(ORDER BY r.source, r.file, r.line, r.rkey), l.request_ref, l.source, COALESCE(l.person_key, ''), "
             "COALESCE(r.received_date, '') FROM new_request_link l JOIN request r ON r.source = l.source AND r.rkey = l.request_ref");
    db_.exec("CREATE INDEX ON link_req(request_ref)");
    db_.exec("CREATE INDEX ON link_req(person_key, received)");
    db_.exec("ANALYZE link_req");
    db_.prepare("link_with_ref", "SELECT source, person_key FROM link_req WHERE request_ref = $1 ORDER BY ord");
    db_.prepare("link_with_nhs", "SELECT person_key FROM link_nhs WHERE nhs = $1");
    db_.prepare("link_latest", "SELECT source, request_ref FROM link_req WHERE person_key = $1 AND received <= $2 "
                               "ORDER BY received DESC, ord LIMIT 1");
    prepared_ = true;
    each_record(RecordKind::advice, "r.source, r.file, r.line, r.rkey", visit);
  }

  std::vector<LinkedRequest> requests_with_ref(const std::string& request_ref) override {
    std::vector<LinkedRequest> out;
    Result r = db_.run_prepared("link_with_ref", {request_ref});
    out.reserve(static_cast<std::size_t>(r.rows()));
    for (int i = 0; i < r.rows(); ++i) out.push_back({r.text(i, 0), request_ref, r.text(i, 1)});
    return out;
  }

  std::string person_with_nhs(const std::string& nhs_number) override {
    if (nhs_number.empty()) return "";
    Result r = db_.run_prepared("link_with_nhs", {nhs_number});
    return r.rows() > 0 ? r.text(0, 0) : "";
  }

  std::optional<LinkedRequest> latest_request(const std::string& person_key, const std::string& date) override {
    Result r = db_.run_prepared("link_latest", {person_key, date});
    if (r.rows() == 0) return std::nullopt;
    return LinkedRequest{r.text(0, 0), r.text(0, 1), person_key};
  }

  void add_advice_link(const AdviceLink& l, const Record& advice, const std::string&) override {
    advice_.add({l.source, l.advice_ref, text_or_null(l.person_key), text_or_null(l.request_source),
                 text_or_null(l.request_ref), l.rule});
    if (l.person_key.empty() || advice.get("nhs_number").empty()) return;
    adv_.add({l.person_key, advice.source, l.advice_ref, std::to_string(advice.return_year), advice.get("nhs_number")});
  }

  void each_cluster(const std::function<void(const std::string&, std::vector<Record>&, std::vector<Record>&)>& visit) override {
    advice_.flush();
    adv_.flush();
    // Both in cluster order: the persons by root and record, the advice by root and as added.
    Cursor advice(db_, "SELECT m.root, a.source, a.advice_ref, a.return_year, a.nhs FROM link_adv a "
                       "JOIN (SELECT DISTINCT ON (person_key) person_key, root FROM link_key ORDER BY person_key, root) m "
                       "ON m.person_key = a.person_key ORDER BY m.root, a.ord");
    Cursor s(db_, "SELECT m.root, k.person_key, " + record_columns(RecordKind::person, "p", Extras::skipped) + " FROM link_member m "
                  "JOIN link_key k ON k.root = m.root JOIN link_node n ON n.idx = m.idx "
                  "JOIN person p ON p.source = n.source AND p.rkey = n.person_ref ORDER BY m.root, m.idx");
    bool has_advice = advice.step();
    std::vector<Record> persons, linked_advice;
    std::string key;
    std::int64_t root = -1;
    auto flush = [&] {
      if (persons.empty()) return;
      while (has_advice && advice.integer(0) < root) has_advice = advice.step();
      for (; has_advice && advice.integer(0) == root; has_advice = advice.step())
        linked_advice.push_back(link_rows::linked_advice(advice, 1));
      visit(key, persons, linked_advice);
      persons.clear();
      linked_advice.clear();
    };
    while (s.step()) {
      if (s.integer(0) != root) flush(), root = s.integer(0), key = s.text(1);
      persons.push_back(read_record(s, RecordKind::person, 2));
    }
    flush();
  }

  void add_linked(const LinkedPerson& p) override {
    std::vector<Param> row{p.person_key};
    for (const auto& v : p.values) row.push_back(text_or_null(v));
    row.push_back(p.origins);
    linked_.add(std::move(row));
  }

  void add_conflict(const LinkConflict& c) override {
    conflicts_.add({c.person_key, c.field, c.sources, c.winner});
  }

  std::int64_t save(std::int64_t data_version, const std::map<std::string, std::string>& request_sources) override {
    for (Appender* a : {&requests_, &advice_, &linked_, &conflicts_}) a->flush();
    if (!nodes_) create_nodes(LinkNode{});
    if (!staged_persons_) stage_person_links();
    std::int64_t n = 0;
    for (const char* t : kLinkTables) n += apply_stage(db_, t, "new_" + std::string(t), std::string(t) == "linked_person" ? 1 : 2);
    finish_links(db_, n, data_version, request_sources);
    if (prepared_) db_.exec("DEALLOCATE link_with_ref; DEALLOCATE link_with_nhs; DEALLOCATE link_latest");
    db_.exec("COMMIT");
    saved_ = true;
    return n;
  }

  void each_conflict(const std::function<void(const LinkConflict&)>& visit) override {
    Cursor s(db_, "SELECT person_key, field, sources, winner FROM link_conflicts ORDER BY person_key, field");
    while (s.step()) visit({s.text(0), s.text(1), s.text(2), s.text(3)});
  }

 private:
  void each_record(RecordKind kind, const std::string& order, const std::function<void(const Record&)>& visit) {
    const std::string table(spec(kind).name);
    Cursor s(db_, "SELECT " + record_columns(kind, "r", Extras::skipped) + " FROM " + table + " r ORDER BY " + order);
    while (s.step()) visit(read_record(s, kind, 0));
  }

  void create_nodes(const LinkNode& n) {
    const char* text = " TEXT COLLATE \"C\"";
    db_.exec("CREATE TEMP TABLE link_node (idx BIGINT PRIMARY KEY, source" + std::string(text) + ", person_ref" + text +
             ", best" + text + ", best_rank INTEGER, postcode" + text + ", nhs" + text + numbered("s", n.strong.size(), text) +
             numbered("k", n.keys.size(), text) + numbered("t", n.ties.size(), text) + ")");
    std::string cols = "idx, source, person_ref, best, best_rank, postcode, nhs" + numbered("s", n.strong.size(), "") +
                       numbered("k", n.keys.size(), "") + numbered("t", n.ties.size(), "");
    nodes_.emplace(db_, "COPY link_node (" + cols + ") FROM STDIN");
  }

  // The person links, and each valid NHS number's person (the last root holding it).
  void stage_person_links() {
    staged_persons_ = true;
    db_.exec("CREATE UNIQUE INDEX ON link_node(source, person_ref)");
    db_.exec("ANALYZE link_key");
    db_.exec("INSERT INTO new_person_link (source, person_ref, person_key, rule) SELECT n.source, n.person_ref, k.person_key, "
             "COALESCE(m.rule, 'single') FROM link_node n JOIN link_member m ON m.idx = n.idx JOIN link_key k ON k.root = m.root");
    db_.exec("CREATE TEMP TABLE link_nhs (nhs TEXT COLLATE \"C\" PRIMARY KEY, person_key TEXT COLLATE \"C\" NOT NULL)");
    db_.exec("INSERT INTO link_nhs SELECT DISTINCT ON (n.nhs) n.nhs, k.person_key FROM link_member m "
             "JOIN link_node n ON n.idx = m.idx JOIN link_key k ON k.root = m.root WHERE n.nhs IS NOT NULL "
             "ORDER BY n.nhs, m.root DESC");
  }

  Db& db_;
  bool saved_ = false, prepared_ = false, staged_persons_ = false;
  std::int64_t count_ = 0;
  std::optional<Appender> nodes_;
  Appender members_, keys_, requests_, advice_, adv_, linked_, conflicts_;
};

}  // namespace

std::unique_ptr<LinkScratch> open_link_scratch(Db& db, const std::map<std::string, std::string>& person_sources) {
  return std::make_unique<PgLinkScratch>(db, person_sources);
}

}  // namespace sendhub::pg
