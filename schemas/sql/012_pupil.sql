-- 012: the school census (issue 29, inspection.md §2). One pupil's census facts on one
-- census date, keyed by the census source's person reference, the date and the school's URN.
-- The row's identity is a person record of the same source (linked like any other); the
-- dataset index hangs these rows from it, through the index below.
CREATE TABLE pupil (
  source TEXT NOT NULL, rkey TEXT NOT NULL, run_id INTEGER NOT NULL, file TEXT, line INTEGER,
  path TEXT, return_year INTEGER NOT NULL DEFAULT 0, row_hash TEXT NOT NULL,
  person_ref TEXT NOT NULL, census_date TEXT, urn TEXT, phase TEXT, enrolment_status TEXT, nc_year TEXT,
  sen_provision TEXT, sen_need_1 TEXT, sen_need_2 TEXT, fsm TEXT, pupil_premium TEXT,
  sessions_possible TEXT, sessions_missed TEXT, suspensions TEXT, permanent_exclusions TEXT, home_educated TEXT,
  extras TEXT,
  PRIMARY KEY (source, rkey)
);
CREATE INDEX pupil_ref_index ON pupil(source, person_ref);
