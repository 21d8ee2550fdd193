-- 008: every KPI snapshot a sink computes (issue 13), so a measure can be shown over time:
-- one row per sink, period, as-at date, measure and breakdown value, with the run that
-- last computed it (a run at the same as-at date replaces its rows).
CREATE TABLE kpi_history (
  sink            TEXT NOT NULL,
  period_start    TEXT NOT NULL,
  period_end      TEXT NOT NULL,
  as_at           TEXT NOT NULL,
  measure         TEXT NOT NULL,
  breakdown       TEXT NOT NULL,
  breakdown_value TEXT NOT NULL,
  numerator       INTEGER NOT NULL,
  denominator     INTEGER,
  value           TEXT NOT NULL,
  run_id          INTEGER NOT NULL,
  PRIMARY KEY (sink, as_at, period_start, period_end, measure, breakdown, breakdown_value)
);
