// store/pg_pool_kpis.h: the pooled KPIs' SQL (pg_pool_kpis.cpp: the flow measures, from
// schemas/kpi/measures.json; pg_pool_stock.cpp: growth, mediations, tribunals and the stock
// measures, the zero rows of closed breakdown lists, and the value column).
#pragma once

#include <Poco/JSON/Array.h>

#include <string>
#include <tuple>
#include <utility>
#include <vector>

namespace sendhub::pg {

// CREATE FUNCTION <schema>.kpis(start, end, as_at) and its grant to the pool reader.
std::string pooled_kpis_function_sql(const std::string& schemas_dir, const std::string& schema);

// Rows (council, measure, breakdown, breakdown_value, numerator, denominator) of growth,
// mediations, tribunals and every stock measure but prevalence, over the CTE `cases`.
std::string derived_rows_sql();

// A measure's row that exists even when nothing is counted: (measure, breakdown, value, rate).
using WantedRow = std::tuple<std::string, std::string, std::string, bool>;
// Zero rows, for every council of the pool, of the flow measures' `totals` and breakdowns, of
// the other measures' totals, and of every value of the closed breakdown lists
// (schemas/kpi/labels.json) of the measures that have a total.
std::string zero_rows_sql(const std::string& schemas_dir, std::vector<WantedRow> totals,
                          std::vector<std::pair<std::string, std::string>> breakdowns);
// SQL text pieces both files share: a quoted literal; whether an expression equals a value
// (false when NULL); an expression, UNKNOWN when empty; a JSON array of strings.
std::string quoted(const std::string& s);
std::string is(const std::string& expr, const std::string& value);
std::string or_unknown(const std::string& expr);
std::vector<std::string> strings(const Poco::JSON::Array::Ptr& a);
// Whether a date (text) is in [p_start, p_end]; empty never is ('' sorts before every date).
std::string in_period(const std::string& date);
// The lateral join that gives each row its total row ('', '') and one row per breakdown:
// (breakdown name, SQL expression of its value), as b(k, v).
std::string by_breakdowns(const std::vector<std::pair<std::string, std::string>>& breakdowns);
// Elapsed days from one date to another, NULL when one is missing or not a real day, or the
// stop is before the start (measures.md §1: left out, and counted as excluded).
std::string elapsed(const std::string& from, const std::string& to);

// The value column: a count, or 100 x num / den to one decimal ("" when den is 0).
std::string value_sql(const std::string& num, const std::string& den);

}  // namespace sendhub::pg
