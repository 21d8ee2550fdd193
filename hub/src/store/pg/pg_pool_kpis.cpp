// store/pg_pool_kpis.cpp: the pooled KPIs of issue 14, in SQL on the server. pool-migrate
// makes one function, sendhub_pool.kpis(start, end, as_at), from the same contracts the
// kpi_extract sink obeys: the flow measures of schemas/kpi/measures.json (a query each,
// generated from the table), and measures.md's growth, mediations, tribunals and stock
// measures (written out below, as kpi_extract writes them in C++); closed breakdown lists
// get their zero rows from schemas/kpi/labels.json (interfaces.md §6). It reads the councils'
// resolved datasets (002_resolved.sql), every council's rows, and returns counts only: it
// runs with its owner's rights (SECURITY DEFINER), so the pool reader, who may read no
// record, gets every council's figures and the pool's, with no personal value. Below, the
// reader's side: pooled_measures() calls it.
#include "store/pg/pg_pool_kpis.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include "rules/json_file.h"
#include "sendhub/records.h"
#include "store/pg/pg_rows.h"
#include "store/store.h"

namespace sendhub::pg {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

// The kinds a case carries one of, and the prefix of their columns in `cases`.
const std::pair<RecordKind, const char*> kCaseParts[] = {
    {RecordKind::request, "q_"}, {RecordKind::assessment, "a_"}, {RecordKind::plan, "p_"}};

std::string prefix_of(RecordKind kind) {
  for (const auto& [k, prefix] : kCaseParts)
    if (k == kind) return prefix;
  return "";
}

// Each request is a case, with its (last) assessment and plan, its primary need, its person.
std::string cases_cte() {
  std::string columns = "q.council, q.case_key, q.person_key, a.present IS NOT NULL AS has_assessment, "
                        "pl.present IS NOT NULL AS has_plan, COALESCE(nd.sen_type, 'UNKNOWN') AS primary_need, "
                        "pr.birth_date, pr.sex";
  std::string laterals;
  for (const auto& [kind, prefix] : kCaseParts) {
    const std::string alias = kind == RecordKind::request ? "q" : kind == RecordKind::assessment ? "a" : "pl";
    std::string inner;
    for (const auto& f : spec(kind).fields) {
      columns += ", " + alias + "." + std::string(f.name) + " AS " + prefix + std::string(f.name);
      inner += ", x." + std::string(f.name);
    }
    if (kind != RecordKind::request)
      laterals += " LEFT JOIN LATERAL (SELECT true AS present" + inner + " FROM resolved_" + std::string(spec(kind).name) +
                  " x WHERE x.council = q.council AND x.case_key = q.case_key ORDER BY x.record_no DESC LIMIT 1) " + alias +
                  " ON true";
  }
  columns += ", " + is("q.request_outcome", "H") + " OR " + is("a.assessment_outcome", "H") + " AS historical";
  return "cases AS (SELECT " + columns + " FROM resolved_request q" + laterals +
         " LEFT JOIN LATERAL (SELECT x.sen_type FROM resolved_need x WHERE x.council = q.council AND x.case_key = q.case_key"
         " AND x.sen_type_rank = '1' AND COALESCE(x.sen_type, '') <> '' ORDER BY x.record_no LIMIT 1) nd ON true"
         " LEFT JOIN LATERAL (SELECT x.birth_date, x.sex FROM resolved_person x WHERE x.council = q.council"
         " AND x.person_key = q.person_key AND q.person_key <> '' ORDER BY x.record_no LIMIT 1) pr ON true)";
}

class FlowQuery {
 public:
  FlowQuery(const std::string& file, const Object& o) : file_(file), id_(o.getValue<std::string>("id")) {
    kind_ = kind_named(o.getValue<std::string>("record"));
    date_ = field(o.getValue<std::string>("date"));
    if (auto w = o.getObject("where")) where_ = matches(*w);
    if (auto w = o.getObject("numerator_where")) numerator_where_ = matches(*w);
    if (o.has("from")) days_ = elapsed(field(o.getValue<std::string>("from")), field(o.getValue<std::string>("to")));
    if (o.has("within_days")) within_ = std::to_string(o.getValue<long>("within_days"));
    if (o.has("over_days")) over_ = std::to_string(o.getValue<long>("over_days"));
    breakdowns_ = strings(o.getArray("breakdowns"));
  }
  bool rate() const { return !within_.empty() || !numerator_where_.empty(); }
  bool timed() const { return !days_.empty(); }
  const std::string& id() const { return id_; }
  const std::vector<std::string>& breakdowns() const { return breakdowns_; }

  // A CTE of the records in the period that the measure looks at, then its rows.
  std::string cte(int n) const {
    std::string columns = "c.council, " + (timed() ? days_ : "0") + " AS days, " +
                          (rate() ? (within_.empty() ? numerator_where_ : "true") : "true") + " AS numer";
    for (std::size_t i = 0; i < breakdowns_.size(); ++i) columns += ", " + breakdown(breakdowns_[i]) + " AS b" + std::to_string(i);
    return "f" + std::to_string(n) + " AS (SELECT " + columns + " " + population() + " AND " + in_period(date_) +
           (where_.empty() ? "" : " AND " + where_) + ")";
  }
  std::string rows(int n) const {
    const std::string f = "f" + std::to_string(n);
    std::vector<std::pair<std::string, std::string>> values;
    for (std::size_t i = 0; i < breakdowns_.size(); ++i) values.emplace_back(breakdowns_[i], "x.b" + std::to_string(i));
    const std::string counted = timed() ? "x.days IS NOT NULL" + (over_.empty() ? "" : " AND x.days > " + over_) : "true";
    const std::string in_time = within_.empty() ? "x.numer" : "x.days <= " + within_;
    std::string sql = "SELECT x.council, " + quoted(id_) + ", b.k, b.v, " +
                      (rate() ? "SUM(CASE WHEN " + in_time + " THEN 1 ELSE 0 END)::bigint, COUNT(*)::bigint"
                              : "COUNT(*)::bigint, NULL::bigint") +
                      " FROM " + f + " x " + by_breakdowns(values) + " WHERE " + counted +
                      " GROUP BY 1, 2, 3, 4";
    if (timed())
      sql += " UNION ALL SELECT x.council, " + quoted("excluded_" + id_) + ", '', '', COUNT(*)::bigint, NULL::bigint FROM " + f +
             " x WHERE x.days IS NULL GROUP BY 1";
    return sql;
  }

 private:
  [[noreturn]] void unsupported(const std::string& what) const {
    throw Error(Where{file_, 0, ""}, id_, "schema", what + ": the pooled KPIs cannot compute this yet");
  }
  RecordKind kind_named(const std::string& name) const {
    for (const auto& k : kKinds)
      if (k.name == name && (k.kind == RecordKind::review || k.kind == RecordKind::advice || !prefix_of(k.kind).empty()))
        return k.kind;
    unsupported("record kind " + name);
  }
  bool has_case() const { return kind_ != RecordKind::advice; }
  // "field" of the measured record, or "kind.field" of its case.
  std::string field(const std::string& ref) const {
    const auto dot = ref.find('.');
    const RecordKind kind = dot == std::string::npos ? kind_ : kind_named(ref.substr(0, dot));
    const std::string name = dot == std::string::npos ? ref : ref.substr(dot + 1);
    if (field_index(kind, name) < 0) unsupported("no field " + ref);
    if (kind == kind_ && prefix_of(kind).empty()) return "r." + name;
    if (!has_case() || prefix_of(kind).empty()) unsupported("field " + ref + " of the case");
    return "c." + prefix_of(kind) + name;
  }
  std::string matches(const Object& where) const {
    std::string out;
    for (const auto& [name, values] : where) {
      std::string list;
      for (const auto& v : strings(values.extract<Array::Ptr>())) list += (list.empty() ? "" : ", ") + quoted(v);
      out += (out.empty() ? "" : " AND ") + ("COALESCE(" + field(name) + ", '') IN (" + list + ")");
    }
    return out;
  }
  std::string breakdown(const std::string& b) const {
    if (b == "primary_need") return has_case() ? "c.primary_need" : (unsupported("primary_need of advice"), "");
    if (b == "request_source") return has_case() ? or_unknown("c.q_request_source") : "'UNKNOWN'";
    if (b == "cease_reason" || b == "advice_type" || b == "request_outcome") return or_unknown(field(b));
    return "'UNKNOWN'";
  }
  // Historical requests and assessments are carried only for their plans (measures.md §1).
  std::string population() const {
    switch (kind_) {
      case RecordKind::request: return "FROM cases c WHERE NOT c.historical";
      case RecordKind::assessment: return "FROM cases c WHERE c.has_assessment AND NOT c.historical";
      case RecordKind::plan: return "FROM cases c WHERE c.has_plan";
      case RecordKind::review:
        return "FROM resolved_review r JOIN cases c ON c.council = r.council AND c.case_key = r.case_key WHERE true";
      default: return "FROM resolved_advice r CROSS JOIN LATERAL (SELECT r.council) c WHERE true";
    }
  }

  std::string file_, id_, date_, where_, numerator_where_, days_, within_, over_;
  RecordKind kind_ = RecordKind::request;
  std::vector<std::string> breakdowns_;
};

}  // namespace

std::string pooled_kpis_function_sql(const std::string& schemas_dir, const std::string& schema) {
  const std::string file = schemas_dir + "/kpi/measures.json";
  const auto measures = read_json_object(file);
  std::vector<FlowQuery> flows;
  auto list = measures->getArray("flow");
  for (std::size_t i = 0; list && i < list->size(); ++i) flows.emplace_back(file, *list->getObject(static_cast<unsigned>(i)));
  std::string ctes = cases_cte(), rows;
  for (std::size_t i = 0; i < flows.size(); ++i) {
    ctes += ",\n" + flows[i].cte(static_cast<int>(i));
    rows += (rows.empty() ? "" : "\nUNION ALL ") + flows[i].rows(static_cast<int>(i));
  }
  rows += "\nUNION ALL " + derived_rows_sql();
  std::vector<WantedRow> totals;
  std::vector<std::pair<std::string, std::string>> breakdowns;
  for (const auto& f : flows) {
    totals.emplace_back(f.id(), "", "", f.rate());
    if (f.timed()) totals.emplace_back("excluded_" + f.id(), "", "", false);
    for (const auto& b : f.breakdowns()) breakdowns.emplace_back(f.id(), b);
  }
  const std::string order = "ARRAY[" + [&] {
    std::string out;
    for (const auto& m : strings(measures->getArray("order"))) out += (out.empty() ? "" : ", ") + quoted(m);
    return out;
  }() + "]::text[]";
  return "CREATE FUNCTION " + schema + ".kpis(p_start TEXT, p_end TEXT, p_as_at TEXT)\n"
         "RETURNS TABLE(council TEXT, measure TEXT, breakdown TEXT, breakdown_value TEXT, numerator BIGINT, "
         "denominator BIGINT, value TEXT)\n"
         "LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $fn$\n"
         "WITH " + ctes + ",\nmeasured(council, measure, breakdown, breakdown_value, numerator, denominator) AS (" + rows + "\nUNION ALL " + zero_rows_sql(schemas_dir, totals, breakdowns) +
         "),\npooled AS (SELECT m.council AS c, m.measure AS ms, m.breakdown AS bk, m.breakdown_value AS bv, "
         "SUM(m.numerator)::bigint AS num, SUM(m.denominator)::bigint AS den FROM measured m "
         "GROUP BY GROUPING SETS ((m.council, m.measure, m.breakdown, m.breakdown_value), (m.measure, m.breakdown, m.breakdown_value)))\n"
         "SELECT COALESCE(c, 'all'), ms, bk, bv, num, den, " + value_sql("num", "den") + " FROM pooled ORDER BY c NULLS FIRST, "
         "array_position(" + order + ", regexp_replace(ms, '^excluded_', '')) NULLS LAST, ms LIKE 'excluded\\_%', bk, "
         "CASE WHEN bk = 'age_band' AND array_position(ARRAY['0-4', '5-10', '11-15', '16-19', '20-25'], bv) IS NOT NULL "
         "THEN array_position(ARRAY['0-4', '5-10', '11-15', '16-19', '20-25'], bv)::text ELSE bv END\n$fn$;\n"
         "REVOKE ALL ON FUNCTION " + schema + ".kpis(TEXT, TEXT, TEXT) FROM PUBLIC;\n"
         "GRANT EXECUTE ON FUNCTION " + schema + ".kpis(TEXT, TEXT, TEXT) TO sendhub_pool_reader;\n";
}

}  // namespace sendhub::pg

namespace sendhub {

std::vector<PooledMeasure> pooled_measures(const std::string& conninfo, const std::string& password_env,
                                           const std::string& start, const std::string& end, const std::string& as_at) {
  pg::Db db(conninfo, password_env);
  // Whether the schema is there before asking about it: naming it when it may not be used fails.
  const std::string may = pg::value(
      db, "SELECT CASE WHEN to_regnamespace('sendhub_pool') IS NULL THEN 'none' "
          "WHEN NOT has_schema_privilege('sendhub_pool', 'USAGE') THEN 'no' "
          "ELSE CASE WHEN to_regprocedure('sendhub_pool.kpis(text, text, text)') IS NULL THEN 'none' "
          "WHEN has_function_privilege('sendhub_pool.kpis(text, text, text)', 'EXECUTE') THEN 'yes' ELSE 'no' END END");
  if (may == "none") pg::refuse("the pool has no pooled KPIs yet: its administrator runs sendhub pool-migrate");
  if (may != "yes")
    pg::refuse("this role may not compute the pooled KPIs: the pool's administrator grants it sendhub_pool_reader");
  std::vector<PooledMeasure> out;
  pg::Cursor rows(db, "SELECT * FROM sendhub_pool.kpis($1, $2, $3)", {start, end, as_at});
  while (rows.step()) {
    PooledMeasure m;
    m.council = rows.text(0);
    m.row = {rows.text(1), start, end, as_at, rows.text(2), rows.text(3), rows.integer(4), std::nullopt, rows.text(6)};
    if (!rows.is_null(5)) m.row.denominator = rows.integer(5);
    out.push_back(std::move(m));
  }
  return out;
}

}  // namespace sendhub
