-- 002: what the rule catalogue found in the store at each run, per return year.
CREATE TABLE validation_issues (
  id          INTEGER PRIMARY KEY,
  run_id      INTEGER NOT NULL,
  return_year INTEGER NOT NULL,
  rule        TEXT NOT NULL,
  severity    TEXT NOT NULL,
  file        TEXT,
  line        INTEGER,
  path        TEXT,
  field       TEXT,
  message     TEXT NOT NULL,
  person_ref  TEXT
);
CREATE INDEX validation_issues_run ON validation_issues(run_id, return_year);
