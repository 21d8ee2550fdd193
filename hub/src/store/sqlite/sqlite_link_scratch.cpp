#include "store/sqlite/sqlite_link_scratch.h"

#include <optional>
#include <vector>

#include "store/link_rows.h"
#include "store/sqlite/sqlite_dataset.h"
#include "store/sqlite/sqlite_link_changes.h"
#include "store/sqlite/sqlite_link_scope.h"
#include "store/sqlite/sqlite_links.h"
#include "store/sqlite/sqlite_sync.h"

namespace sendhub::sqlite {
namespace {

// Columns numbered by position: s0.. strong values, k0.. rule keys, t0.. tie-breakers.
std::string numbered(const char* prefix, std::size_t n, const char* suffix) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out += ", " + std::string(prefix) + std::to_string(i) + suffix;
  return out;
}

std::string params(int from, std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out += (out.empty() ? "?" : ", ?") + std::to_string(from + static_cast<int>(i));
  return out;
}

// Record order as the store reads a kind (Store::each): requests and advice are matched
// first in it.
const std::vector<std::string> kStoreOrder = {"source", "file", "line", "rkey"};

// A first linking writes its links straight into the (empty) tables: the scratch's transaction
// keeps them from readers until save() commits, as staging did.
Stage stage(Db& db, const char* table, std::size_t key_columns) {
  return Stage(db, table, link_columns(table), key_columns, true);
}

class SqliteLinkScratch final : public LinkScratch {
 public:
  SqliteLinkScratch(Db& db, const std::map<std::string, std::string>& person_sources)
      : db_(db), scope_(db), persons_(stage(db, "person_link", 2)), requests_(stage(db, "request_link", 2)),
        advice_(stage(db, "advice_link", 2)), linked_(stage(db, "linked_person", 1)),
        conflicts_(stage(db, "link_conflicts", 2)) {
    db_.exec("BEGIN IMMEDIATE");
    for (const char* t : {"link_node", "link_member", "link_key", "link_owner", "link_req", "link_adv"})
      db_.exec("DROP TABLE IF EXISTS temp." + std::string(t));
    db_.exec("CREATE TEMP TABLE link_owner (source TEXT PRIMARY KEY, owner TEXT NOT NULL)");
    Stmt owner(db_, "INSERT INTO temp.link_owner VALUES (?1, ?2)");
    for (const auto& [source, owner_source] : person_sources) owner.reset().bind(1, source).bind(2, owner_source).run();
    db_.exec("CREATE TEMP TABLE link_member (idx INTEGER PRIMARY KEY, root INTEGER NOT NULL, rule TEXT)");
    db_.exec("CREATE TEMP TABLE link_key (root INTEGER PRIMARY KEY, person_key TEXT NOT NULL)");
    db_.exec("CREATE TEMP TABLE link_req (ord INTEGER PRIMARY KEY, request_ref TEXT, source TEXT, person_key TEXT, received TEXT)");
    db_.exec("CREATE TEMP TABLE link_adv (person_key TEXT, source TEXT, advice_ref TEXT, return_year INTEGER, nhs TEXT)");
    set_root_ = Stmt(db_, "INSERT INTO temp.link_member VALUES (?1, ?2, ?3)");
    set_key_ = Stmt(db_, "INSERT INTO temp.link_key VALUES (?1, ?2)");
    adv_ = Stmt(db_, "INSERT INTO temp.link_adv VALUES (?1, ?2, ?3, ?4, ?5)");
  }
  ~SqliteLinkScratch() override {
    if (!saved_) db_.rollback_quietly();
  }
  SqliteLinkScratch(const SqliteLinkScratch&) = delete;
  SqliteLinkScratch& operator=(const SqliteLinkScratch&) = delete;

  bool knows_changes() override { return scope_.knows_changes(); }
  void each_changed(const std::function<void(const Record&)>& visit) override { scope_.each_changed(visit); }
  void add_changed_person(const LinkNode& node) override { scope_.add_changed_person(node); }
  void add_changed_advice(const Record& advice, const std::string& nhs) override { scope_.add_changed_advice(advice, nhs); }
  std::int64_t narrow() override { return scope_.narrow(); }

  std::int64_t person_records() override {
    return count_rows(db_, scope_.from(RecordKind::person, "p"));
  }

  void each_person(const std::function<void(const Record&)>& visit) override {
    each_record(RecordKind::person, {"source", "rkey"}, visit);
  }

  void add_node(const LinkNode& n) override {
    if (strong_ < 0) create_nodes(n);
    add_node_.reset().bind(1, nodes_++).bind(2, n.source).bind(3, n.person_ref).bind(4, n.best);
    add_node_.bind(5, static_cast<std::int64_t>(n.best_rank)).bind(6, n.postcode).bind(7, n.nhs_number);
    int i = 8;
    for (const auto* list : {&n.strong, &n.keys, &n.ties})
      for (const auto& v : *list) add_node_.bind(i++, v);
    add_node_.run();
  }

  void each_bucket(std::size_t rule, const std::function<void(std::vector<std::pair<std::uint32_t, std::string>>&)>& visit) override {
    if (nodes_ == 0) return;   // no person records: no columns to match on either
    const std::string k = "k" + std::to_string(rule), t = "t" + std::to_string(rule);
    Stmt s(db_, "SELECT idx, " + t + ", " + k + " FROM temp.link_node WHERE " + k + " IS NOT NULL ORDER BY " + k + ", idx");
    link_rows::buckets(s, visit);
  }

  void set_root(std::uint32_t node, std::uint32_t root, const std::string& rule) override {
    set_root_.reset().bind(1, std::int64_t{node}).bind(2, std::int64_t{root}).bind(3, rule).run();
  }

  void each_root(const std::function<void(const LinkRoot&)>& visit) override {
    if (strong_ < 0) create_nodes(LinkNode{});   // no person records at all
    db_.exec("CREATE INDEX temp.link_member_root ON link_member(root, idx)");
    // The lowest rank wins, the root first among equals: SQLite takes the bare column
    // n.best from the row holding the MIN.
    Stmt s(db_, "WITH b AS (SELECT m.root AS root, MIN(n.best_rank * 2 + (n.idx <> m.root)), n.best AS best "
                "FROM temp.link_member m JOIN temp.link_node n ON n.idx = m.idx GROUP BY m.root) "
                "SELECT b.root, b.best, COUNT(*) OVER (PARTITION BY b.best), r.postcode, r.source, r.person_ref "
                "FROM b JOIN temp.link_node r ON r.idx = b.root ORDER BY b.root");
    while (s.step())
      visit({static_cast<std::uint32_t>(s.integer(0)), s.text(1), s.integer(2) > 1, s.text(3), s.text(4), s.text(5)});
  }

  void set_person_key(std::uint32_t root, const std::string& person_key) override {
    set_key_.reset().bind(1, std::int64_t{root}).bind(2, person_key).run();
  }

  void each_person_requests(const std::function<void(const std::string&, std::vector<CaseRequest>&)>& visit) override {
    stage_person_links();
    Stmt s(db_, "SELECT COALESCE(k.person_key, ''), r.source, r.rkey, r.received_date, pl.start_date FROM " +
                    scope_.from(RecordKind::request, "r") + " "
                "LEFT JOIN temp.link_owner o ON o.source = r.source "
                "LEFT JOIN temp.link_node n ON n.source = COALESCE(o.owner, r.source) AND n.person_ref = r.person_ref "
                "LEFT JOIN temp.link_member m ON m.idx = n.idx LEFT JOIN temp.link_key k ON k.root = m.root "
                "LEFT JOIN plan pl ON pl.source = r.source AND pl.rkey = r.rkey "
                "ORDER BY 1, r.source, r.file, r.line, r.rkey");
    link_rows::case_requests(s, visit);
  }

  void add_request_link(const RequestLink& l) override {
    requests_.put({l.source, l.request_ref, l.person_key, l.case_key, l.rule});
  }

  void each_advice(const std::function<void(const Record&)>& visit) override {
    // Every request, linked or not, in store order: what advice looks its request up in.
    // Linking everyone reads the request table in its own order and seeks each link, the
    // smaller table (the other way round, 33,000 requests' seeks spread over the whole table
    // took 0.29 s of the demo's linking at 10,000 children); a narrowed linking reads its few links.
    const std::string links = requests_.target() + " l", requests = "request r";
    db_.exec("INSERT INTO temp.link_req (request_ref, source, person_key, received) "
             "SELECT l.request_ref, l.source, COALESCE(l.person_key, ''), COALESCE(r.received_date, '') FROM " +
             (scope_.narrowed() ? links + " CROSS JOIN " + requests : requests + " CROSS JOIN " + links) +
             " ON r.source = l.source AND r.rkey = l.request_ref ORDER BY r.source, r.file, r.line, r.rkey");
    db_.exec("CREATE INDEX temp.link_req_ref ON link_req(request_ref)");
    db_.exec("CREATE INDEX temp.link_req_person ON link_req(person_key, received)");
    with_ref_ = Stmt(db_, "SELECT source, person_key FROM temp.link_req WHERE request_ref = ?1 ORDER BY ord");
    with_nhs_ = Stmt(db_, "SELECT person_key FROM temp.link_nhs WHERE nhs = ?1");
    latest_ = Stmt(db_, "SELECT source, request_ref FROM temp.link_req WHERE person_key = ?1 AND received <= ?2 "
                        "ORDER BY received DESC, ord LIMIT 1");
    each_record(RecordKind::advice, kStoreOrder, visit);
  }

  std::vector<LinkedRequest> requests_with_ref(const std::string& request_ref) override {
    std::vector<LinkedRequest> out;
    with_ref_.reset().bind(1, request_ref);
    while (with_ref_.step()) out.push_back({with_ref_.text(0), request_ref, with_ref_.text(1)});
    return out;
  }

  std::string person_with_nhs(const std::string& nhs_number) override {
    if (nhs_number.empty()) return "";
    with_nhs_.reset().bind(1, nhs_number);
    std::string person = with_nhs_.step() ? with_nhs_.text(0) : "";
    with_nhs_.reset();   // a statement left open would lock the tables saving the links rebuilds
    return person;
  }

  std::optional<LinkedRequest> latest_request(const std::string& person_key, const std::string& date) override {
    latest_.reset().bind(1, person_key).bind_text(2, date);
    if (!latest_.step()) return std::nullopt;
    LinkedRequest out{latest_.text(0), latest_.text(1), person_key};
    latest_.reset();
    return out;
  }

  void add_advice_link(const AdviceLink& l, const Record& advice, const std::string& nhs) override {
    advice_.put({l.source, l.advice_ref, l.person_key, l.request_source, l.request_ref, l.rule});
    scope_.add_advice_keys(advice, nhs);
    if (l.person_key.empty() || advice.get("nhs_number").empty()) return;
    advice_kept_ = true;
    adv_.reset().bind(1, l.person_key).bind(2, advice.source).bind(3, l.advice_ref);
    adv_.bind(4, static_cast<std::int64_t>(advice.return_year)).bind(5, advice.get("nhs_number")).run();
  }

  void each_cluster(const std::function<void(const std::string&, std::vector<Record>&, std::vector<Record>&)>& visit) override {
    db_.exec("CREATE INDEX temp.link_adv_person ON link_adv(person_key)");
    Stmt advice(db_, "SELECT source, advice_ref, return_year, nhs FROM temp.link_adv WHERE person_key = ?1 ORDER BY rowid");
    Stmt s(db_, "SELECT k.person_key, " + record_columns(RecordKind::person, "p", Extras::skipped) + " FROM temp.link_member m "
                "JOIN temp.link_key k ON k.root = m.root JOIN temp.link_node n ON n.idx = m.idx "
                "CROSS JOIN person p ON p.source = n.source AND p.rkey = n.person_ref ORDER BY m.root, m.idx");
    std::vector<Record> persons, linked_advice;
    std::string key;
    auto flush = [&] {
      if (persons.empty()) return;
      if (advice_kept_) {   // a query per cluster only where some advice names a person
        advice.reset().bind(1, key);
        while (advice.step()) linked_advice.push_back(link_rows::linked_advice(advice, 0));
      }
      visit(key, persons, linked_advice);
      persons.clear();
      linked_advice.clear();
    };
    while (s.step()) {
      if (s.text(0) != key) flush(), key = s.text(0);
      persons.push_back(read_record(s, RecordKind::person, 1));
    }
    flush();
  }

  void add_linked(const LinkedPerson& p) override {
    Row r{p.person_key};
    r.insert(r.end(), p.values.begin(), p.values.end());
    r.push_back(p.origins);
    linked_.put(r);
  }

  void add_conflict(const LinkConflict& c) override {
    conflicts_.put({c.person_key, c.field, c.sources, c.winner});
  }

  std::int64_t save(std::int64_t data_version, const std::map<std::string, std::string>& request_sources) override {
    std::int64_t n = 0;
    const std::pair<Stage*, const char*> stages[] = {{&persons_, "person_link"}, {&requests_, "request_link"},
        {&advice_, "advice_link"}, {&linked_, "linked_person"}, {&conflicts_, "link_conflicts"}};
    for (auto [stage, table] : stages) n += scope_.narrowed() ? stage->apply_within(scope_.within(table)) : stage->apply();
    if (strong_ < 0) create_nodes(LinkNode{});
    scope_.keep_keys(keys_);
    finish_links(db_, n, data_version, request_sources, &scope_);
    link_changes_cleared(db_);
    db_.exec("COMMIT");
    saved_ = true;
    return n;
  }

  void each_conflict(const std::function<void(const LinkConflict&)>& visit) override {
    Stmt s(db_, "SELECT person_key, field, sources, winner FROM link_conflicts ORDER BY person_key, field");
    while (s.step()) visit({s.text(0), s.text(1), s.text(2), s.text(3)});
  }

 private:
  void each_record(RecordKind kind, const std::vector<std::string>& order, const std::function<void(const Record&)>& visit) {
    std::string by;
    for (const auto& column : order) by += (by.empty() ? "r." : ", r.") + column;
    Stmt s(db_, "SELECT " + record_columns(kind, "r", Extras::skipped) + " FROM " + scope_.from(kind, "r") + " ORDER BY " + by);
    while (s.step()) visit(read_record(s, kind, 0));
  }

  void create_nodes(const LinkNode& n) {
    strong_ = static_cast<int>(n.strong.size());
    keys_ = n.keys.size();
    db_.exec("CREATE TEMP TABLE link_node (idx INTEGER PRIMARY KEY, source TEXT, person_ref TEXT, best TEXT, "
             "best_rank INTEGER, postcode TEXT, nhs TEXT" + numbered("s", n.strong.size(), " TEXT") +
             numbered("k", n.keys.size(), " TEXT") + numbered("t", n.ties.size(), " TEXT") + ")");
    add_node_ = Stmt(db_, "INSERT INTO temp.link_node VALUES (" +
                              params(1, 7 + n.strong.size() + n.keys.size() + n.ties.size()) + ")");
  }

  // The person links, and each valid NHS number's person (the last root holding it).
  void stage_person_links() {
    db_.exec("CREATE UNIQUE INDEX temp.link_node_ref ON link_node(source, person_ref)");
    db_.exec("INSERT INTO " + persons_.target() + " SELECT n.source, n.person_ref, k.person_key, COALESCE(m.rule, 'single') "
             "FROM temp.link_node n JOIN temp.link_member m ON m.idx = n.idx JOIN temp.link_key k ON k.root = m.root");
    db_.exec("DROP TABLE IF EXISTS temp.link_nhs");
    db_.exec("CREATE TEMP TABLE link_nhs (nhs TEXT PRIMARY KEY, person_key TEXT NOT NULL)");
    db_.exec("INSERT OR REPLACE INTO temp.link_nhs SELECT n.nhs, k.person_key FROM temp.link_member m "
             "JOIN temp.link_node n ON n.idx = m.idx JOIN temp.link_key k ON k.root = m.root "
             "WHERE n.nhs IS NOT NULL ORDER BY m.root");
  }

  Db& db_;
  LinkScope scope_;
  bool saved_ = false;
  bool advice_kept_ = false;   // any row in temp.link_adv
  int strong_ = -1;   // strong values per node; -1 until the first node
  std::size_t keys_ = 0;   // match keys per node
  std::int64_t nodes_ = 0;
  Stmt add_node_, set_root_, set_key_, adv_, with_ref_, with_nhs_, latest_;
  // The new links, staged beside the old (the key is the first column, or two).
  Stage persons_, requests_, advice_, linked_, conflicts_;
};

}  // namespace

std::unique_ptr<LinkScratch> open_link_scratch(Db& db, const std::map<std::string, std::string>& person_sources) {
  return std::make_unique<SqliteLinkScratch>(db, person_sources);
}

}  // namespace sendhub::sqlite
