#include "store/sqlite/sqlite_measures.h"

#include <set>
#include <tuple>

#include "store/record_rows.h"

namespace sendhub::sqlite {

void keep_measures(Db& db, const std::string& sink, std::int64_t run, const std::vector<MeasureRow>& rows) {
  in_transaction(db, [&] {
    Stmt drop(db, "DELETE FROM kpi_history WHERE sink = ?1 AND as_at = ?2 AND period_start = ?3 AND period_end = ?4");
    std::set<std::tuple<std::string, std::string, std::string>> snapshots;
    for (const auto& r : rows)
      if (snapshots.emplace(r.as_at, r.period_start, r.period_end).second)
        drop.reset().bind(1, sink).bind(2, r.as_at).bind(3, r.period_start).bind(4, r.period_end).run();
    Stmt put(db, "INSERT OR REPLACE INTO kpi_history(sink, period_start, period_end, as_at, measure, breakdown, "
                 "breakdown_value, numerator, denominator, value, run_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)");
    for (const auto& r : rows) {
      // An empty breakdown or value is stored as '' (the columns are NOT NULL).
      put.reset().bind(1, sink).bind(2, r.period_start).bind(3, r.period_end).bind(4, r.as_at).bind(5, r.measure);
      put.bind_text(6, r.breakdown).bind_text(7, r.breakdown_value).bind_text(10, r.value).bind(8, r.numerator);
      if (r.denominator) put.bind(9, *r.denominator);
      put.bind(11, run).run();
    }
  });
}

std::vector<std::pair<std::string, MeasureRow>> measure_history(Db& db, const std::string& sink) {
  Stmt s(db, "SELECT sink, measure, period_start, period_end, as_at, breakdown, breakdown_value, numerator, denominator, "
             "value FROM kpi_history WHERE ?1 IS NULL OR sink = ?1 ORDER BY as_at, period_start, sink, rowid");
  if (!sink.empty()) s.bind(1, sink);
  std::vector<std::pair<std::string, MeasureRow>> out;
  while (s.step()) {
    out.push_back(store::read_measure(s));
  }
  return out;
}

std::map<std::string, std::int64_t> data_quality(Db& db) {
  Stmt s(db, "SELECT (SELECT COUNT(*) FROM link_conflicts), (SELECT COUNT(*) FROM request_link WHERE person_key IS NULL "
             "OR person_key = ''), (SELECT COUNT(*) FROM advice_link WHERE person_key IS NULL OR person_key = ''), "
             "(SELECT COUNT(*) FROM quarantine WHERE run_id = (SELECT MAX(run_id) FROM run_sources))");
  s.step();
  return {{"link_conflicts", s.integer(0)}, {"unlinked_requests", s.integer(1)}, {"unlinked_advice", s.integer(2)},
          {"quarantined", s.integer(3)}};
}

}  // namespace sendhub::sqlite
