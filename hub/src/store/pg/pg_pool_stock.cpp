// store/pg_pool_stock.cpp: the pooled measures that measures.json does not define as flows
// (measures.md §2's growth, mediations and tribunals; §3's stock measures as at p_as_at),
// written as kpi_extract's measures.cpp and stock_measures.cpp compute them, so a council's
// pooled figures are its own; and the zero rows and value column every measure shares.
#include <map>
#include <set>

#include "rules/json_file.h"
#include "sendhub/error.h"
#include "store/pg/pg_pool_kpis.h"

#include <Poco/JSON/Array.h>

namespace sendhub::pg {
namespace {

std::string set(const std::string& v) { return "COALESCE(" + v + ", '') <> ''"; }
std::string by_as_at(const std::string& date) { return "(" + set(date) + " AND " + date + " <= p_as_at)"; }
std::string elapsed_to_as_at(const std::string& from) { return elapsed(from, "p_as_at"); }

// Count rows of `measure` over the subquery's rows where `hit`: a total, and one per value
// of each breakdown (name, the subquery's column).
std::string counted(const std::string& measure, const std::string& sub, const std::string& hit,
                    const std::vector<std::pair<std::string, std::string>>& breakdowns) {
  std::vector<std::pair<std::string, std::string>> values;
  values.reserve(breakdowns.size());
  for (const auto& [name, column] : breakdowns) values.emplace_back(name, "x." + column);
  return "SELECT x.council, " + quoted(measure) + ", b.k, b.v, COUNT(*)::bigint, NULL::bigint FROM (" + sub + ") x " +
         by_breakdowns(values) + " WHERE " + hit + " GROUP BY 1, 2, 3, 4";
}

// Growth against the previous period of equal length: the change, over the previous count.
std::string growth() {
  const std::string d = "c.q_received_date";
  const std::string previous = "COALESCE(" + d + " >= to_char(p_start::date - (p_end::date - p_start::date + 1), 'YYYY-MM-DD') AND " +
                               d + " <= to_char(p_start::date - 1, 'YYYY-MM-DD'), false)";
  const std::string now = in_period(d);
  return "SELECT c.council, 'requests_received_growth_pct', '', '', (COUNT(*) FILTER (WHERE " + now +
         ") - COUNT(*) FILTER (WHERE " + previous + "))::bigint, COUNT(*) FILTER (WHERE " + previous +
         ")::bigint FROM cases c WHERE NOT c.historical AND " + set(d) + " GROUP BY 1";
}

// Requests by their decision date, assessments by theirs; an assessment with both flags is
// one assessment in the total.
// As kpi_extract's appeals() and plugins/support/appeal_date.h: a decision's flags by its
// date, not on an H chain; one about the plan (other_*) by its own date where it has one.
std::string appeals() {
  const std::string q_in = in_period("c.q_request_outcome_date"), a_in = in_period("c.a_assessment_outcome_date");
  std::string flags;
  for (const std::string what : {"mediation", "tribunal"}) {
    const std::string own = "c.a_other_" + what + "_date";
    flags += ", NOT c.historical AND " + q_in + " AND " + is("c.q_request_" + what, "1") + " AS r_" + what +
             ", NOT c.historical AND " + a_in + " AND " + is("c.a_assessment_" + what, "1") + " AS a_" + what +
             ", CASE WHEN " + set(own) + " THEN NOT " + is("c.a_other_" + what, "0") + " AND " + in_period(own) +
             " ELSE NOT c.historical AND " + a_in + " AND " + is("c.a_other_" + what, "1") + " END AS o_" + what;
  }
  return "SELECT x.council, m.measure, CASE WHEN s.stage = '' THEN '' ELSE 'stage' END, s.stage, SUM(s.n)::bigint, NULL::bigint "
         "FROM (SELECT c.council" + flags + " FROM cases c) x "
         "CROSS JOIN LATERAL (VALUES ('mediations', x.r_mediation, x.a_mediation, x.o_mediation), "
         "('tribunals', x.r_tribunal, x.a_tribunal, x.o_tribunal)) m(measure, r, a, o) "
         "CROSS JOIN LATERAL (VALUES ('', m.r::int + (m.a OR m.o)::int), ('request', m.r::int), ('assessment', m.a::int), "
         "('other', m.o::int)) s(stage, n) GROUP BY 1, 2, 3, 4";
}

// Plans active at D, each with what the plan stock measures break it down by.
std::string active_plans() {
  const std::string same_case = "r.council = c.council AND r.case_key = c.case_key";
  const std::string age = "(CASE WHEN sendhub_day(c.birth_date) IS NOT NULL AND sendhub_day(p_as_at) IS NOT NULL THEN "
                          "substr(p_as_at, 1, 4)::int - substr(c.birth_date, 1, 4)::int - "
                          "CASE WHEN substr(p_as_at, 6) < substr(c.birth_date, 6) THEN 1 ELSE 0 END END)";
  const std::string band = "CASE WHEN " + age + " IS NULL THEN 'UNKNOWN' WHEN " + age + " <= 4 THEN '0-4' WHEN " + age +
                           " <= 10 THEN '5-10' WHEN " + age + " <= 15 THEN '11-15' WHEN " + age + " <= 19 THEN '16-19' ELSE '20-25' END";
  const std::string last = "(SELECT MAX(r.review_meeting) FROM resolved_review r WHERE " + same_case + " AND " +
                           by_as_at("r.review_meeting") + ")";
  const std::string later = "EXISTS (SELECT 1 FROM resolved_review r WHERE " + same_case + " AND r.review_meeting > p_as_at)";
  // A review after D with none by it is no evidence about the one before (kpi_model.h).
  const std::string overdue = "COALESCE(to_char(sendhub_day(COALESCE(" + last + ", c.p_start_date)) + interval '12 months', "
                              "'YYYY-MM-DD'), '') < p_as_at AND NOT (" + last + " IS NULL AND " + later + ")";
  const std::string current = "r.council = c.council AND r.case_key = c.case_key AND " + by_as_at("r.entry_date") +
                              " AND NOT " + by_as_at("r.leaving_date");
  const std::string awaiting = "NOT EXISTS (SELECT 1 FROM resolved_placement r WHERE " + current + ") OR COALESCE((SELECT "
                               "r.sen_setting FROM resolved_placement r WHERE " + current + " AND r.placement_rank = '1' "
                               "ORDER BY r.record_no DESC LIMIT 1), '') IN ('NIEO', 'OTH')";
  return "SELECT c.council, c.primary_need, " + band + " AS band, " + or_unknown("c.sex") + " AS sex, " + overdue +
         " AS overdue, " + awaiting + " AS awaiting FROM cases c WHERE " + by_as_at("c.p_start_date") + " AND NOT " +
         by_as_at("c.p_cease_date");
}

// Requests open at D (no final decision by then), with their stage and days open.
std::string open_requests() {
  return "SELECT c.council, CASE WHEN " + by_as_at("c.q_request_outcome_date") + " THEN 'assessing' ELSE 'awaiting_decision' "
         "END AS stage, " + elapsed_to_as_at("c.q_received_date") + " AS days FROM cases c WHERE NOT c.historical AND " +
         by_as_at("c.q_received_date") + " AND NOT " + set("c.q_exported") + " AND NOT (" + is("c.q_request_outcome", "N") +
         " AND " + by_as_at("c.q_request_outcome_date") + ") AND NOT " + is("c.q_request_outcome", "W") + " AND NOT " +
         is("c.a_assessment_outcome", "W") + " AND NOT (COALESCE(c.a_assessment_outcome, '') IN ('Y', 'N') AND " +
         by_as_at("c.a_assessment_outcome_date") + ")";
}

std::string overdue_advice() {
  return "SELECT a.council, " + or_unknown("a.advice_type") + " AS advice_type, " + elapsed_to_as_at("a.requested_date") +
         " AS days FROM resolved_advice a WHERE " + by_as_at("a.requested_date") + " AND NOT " + is("a.status", "cancelled") +
         " AND NOT (" + is("a.status", "completed") + " AND " + by_as_at("a.provided_date") + ")";
}

}  // namespace

std::string quoted(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}
std::string is(const std::string& expr, const std::string& value) { return "COALESCE(" + expr + " = " + quoted(value) + ", false)"; }
std::string or_unknown(const std::string& expr) { return "COALESCE(NULLIF(" + expr + ", ''), 'UNKNOWN')"; }
std::vector<std::string> strings(const Poco::JSON::Array::Ptr& a) {
  std::vector<std::string> out;
  for (std::size_t i = 0; a && i < a->size(); ++i) out.push_back(a->getElement<std::string>(static_cast<unsigned>(i)));
  return out;
}

// Elapsed days, NULL when a date is missing, not real, or the stop is before the start.
std::string elapsed(const std::string& from, const std::string& to) {
  return "(CASE WHEN sendhub_day(" + to + ") >= sendhub_day(" + from + ") THEN sendhub_day(" + to + ") - sendhub_day(" + from +
         ") END)";
}

std::string in_period(const std::string& date) { return "COALESCE(" + date + " >= p_start AND " + date + " <= p_end, false)"; }

std::string by_breakdowns(const std::vector<std::pair<std::string, std::string>>& breakdowns) {
  std::string values = "('', '')";
  for (const auto& [name, expr] : breakdowns) values += ", (" + quoted(name) + ", " + expr + ")";
  return "CROSS JOIN LATERAL (VALUES " + values + ") b(k, v)";
}

std::string derived_rows_sql() {
  const std::string active = active_plans(), open = open_requests();
  return growth() + "\nUNION ALL " + appeals() +
         "\nUNION ALL " + counted("active_plans", active, "true", {{"primary_need", "primary_need"}, {"age_band", "band"}, {"sex", "sex"}}) +
         "\nUNION ALL " + counted("annual_reviews_overdue", active, "x.overdue", {{"primary_need", "primary_need"}}) +
         "\nUNION ALL " + counted("awaiting_placement", active, "x.awaiting", {}) +
         "\nUNION ALL " + counted("open_requests", open, "true", {{"stage", "stage"}}) +
         "\nUNION ALL " + counted("open_over_30_weeks", open, "x.days > 210", {{"stage", "stage"}}) +
         "\nUNION ALL " + counted("advice_overdue", overdue_advice(), "x.days > 42", {{"advice_type", "advice_type"}});
}

std::string zero_rows_sql(const std::string& schemas_dir, std::vector<WantedRow> totals,
                          std::vector<std::pair<std::string, std::string>> breakdowns) {
  for (const char* id : {"mediations", "tribunals", "active_plans", "open_requests", "open_over_30_weeks",
                         "annual_reviews_overdue", "awaiting_placement", "advice_overdue"})
    totals.emplace_back(id, "", "", false);
  totals.emplace_back("requests_received_growth_pct", "", "", true);
  const auto labels = read_json_object(schemas_dir + "/kpi/labels.json");
  std::map<std::string, bool> rate;   // measure -> whether its total is a rate
  for (const auto& [m, b, v, r] : totals) rate[m] = r;
  for (const auto& [id, value] : *labels->getObject("measures"))
    for (const auto& b : strings(value.extract<Poco::JSON::Object::Ptr>()->getArray("breakdowns"))) breakdowns.emplace_back(id, b);
  const auto closed = labels->getObject("breakdowns");
  const auto by_measure = labels->getObject("values_by_measure");
  std::set<WantedRow> rows(totals.begin(), totals.end());
  for (const auto& [measure, breakdown] : breakdowns) {
    if (!rate.count(measure)) continue;   // no total (prevalence is not pooled): no rows
    std::vector<std::string> values;
    if (by_measure->has(measure + "." + breakdown)) values = strings(by_measure->getArray(measure + "." + breakdown));
    else if (auto b = closed->getObject(breakdown); b && b->optValue<bool>("closed", false)) values = b->getObject("values")->getNames();
    for (const auto& v : values) rows.emplace(measure, breakdown, v, rate[measure]);
  }
  std::string list;
  for (const auto& [m, b, v, r] : rows)
    list += (list.empty() ? "" : ", ") + ("(" + quoted(m) + ", " + quoted(b) + ", " + quoted(v) + ", " + (r ? "true" : "false") + ")");
  return "SELECT k.council, w.m, w.b, w.v, 0::bigint, CASE WHEN w.r THEN 0::bigint END FROM pool_council k CROSS JOIN (VALUES " +
         list + ") w(m, b, v, r)";
}

std::string value_sql(const std::string& num, const std::string& den) {
  const std::string tenths = "round(1000.0 * " + num + " / " + den + ")";
  // printf's "%.1f" writes a negative that rounds to zero as -0.0; so does the sink.
  return "CASE WHEN " + den + " IS NULL THEN " + num + "::text WHEN " + den + " = 0 THEN '' WHEN " + num + " < 0 AND " + tenths +
         " = 0 THEN '-0.0' ELSE to_char(" + tenths + " / 10, 'FM999999999990.0') END";
}

}  // namespace sendhub::pg
