-- 001: the canonical SEND dataset (shared/spec/interfaces.md §3) and the run log.
-- Every record table carries its lineage: the source (configured name) and its key there
-- (rkey), the run that last changed it, the file and line/element path it came from, the
-- SEN2 return year it was reported in (0 when not from a return), and a hash of its
-- values that tells an unchanged reload from a change.

CREATE TABLE runs (
  run_id     INTEGER PRIMARY KEY,
  started    TEXT NOT NULL,
  finished   TEXT,
  status     TEXT NOT NULL,          -- running, ok, data_problems, failed
  as_at      TEXT NOT NULL,
  exit_code  INTEGER
);

CREATE TABLE run_sources (
  run_id      INTEGER NOT NULL REFERENCES runs(run_id),
  source      TEXT NOT NULL,
  status      TEXT NOT NULL,         -- ok, failed
  read        INTEGER NOT NULL DEFAULT 0,
  stored      INTEGER NOT NULL DEFAULT 0,
  unchanged   INTEGER NOT NULL DEFAULT 0,
  quarantined INTEGER NOT NULL DEFAULT 0,
  removed     INTEGER NOT NULL DEFAULT 0,
  error       TEXT,
  PRIMARY KEY (run_id, source)
);

CREATE TABLE quarantine (
  id       INTEGER PRIMARY KEY,
  run_id   INTEGER NOT NULL,
  source   TEXT NOT NULL,
  file     TEXT,
  line     INTEGER,
  path     TEXT,
  field    TEXT,
  rule     TEXT,
  reason   TEXT NOT NULL,
  raw      TEXT
);

CREATE TABLE source_files (
  source     TEXT NOT NULL,
  file       TEXT NOT NULL,
  sha256     TEXT NOT NULL,
  size       INTEGER NOT NULL,
  archived   TEXT,
  first_run  INTEGER NOT NULL,
  last_run   INTEGER NOT NULL,
  PRIMARY KEY (source, file)
);

CREATE TABLE source_state (
  source TEXT NOT NULL,
  key    TEXT NOT NULL,
  value  TEXT NOT NULL,
  PRIMARY KEY (source, key)
);

CREATE TABLE la_return (
  source TEXT NOT NULL, rkey TEXT NOT NULL, run_id INTEGER NOT NULL, file TEXT, line INTEGER,
  path TEXT, return_year INTEGER NOT NULL DEFAULT 0, row_hash TEXT NOT NULL,
  year INTEGER, lea TEXT, dmo TEXT, dco TEXT, dsco TEXT, collection TEXT, reference_date TEXT,
  source_level TEXT, software_code TEXT, release TEXT, serial_no TEXT, datetime TEXT,
  PRIMARY KEY (source, rkey)
);

CREATE TABLE person (
  source TEXT NOT NULL, rkey TEXT NOT NULL, run_id INTEGER NOT NULL, file TEXT, line INTEGER,
  path TEXT, return_year INTEGER NOT NULL DEFAULT 0, row_hash TEXT NOT NULL,
  person_ref TEXT NOT NULL, surname TEXT, forename TEXT, birth_date TEXT, sex TEXT,
  ethnicity TEXT, postcode TEXT, upn TEXT, uln TEXT, upn_unknown TEXT, nhs_number TEXT,
  PRIMARY KEY (source, rkey)
);

CREATE TABLE request (
  source TEXT NOT NULL, rkey TEXT NOT NULL, run_id INTEGER NOT NULL, file TEXT, line INTEGER,
  path TEXT, return_year INTEGER NOT NULL DEFAULT 0, row_hash TEXT NOT NULL,
  request_ref TEXT NOT NULL, person_ref TEXT, received_date TEXT, request_source TEXT,
  rya TEXT, request_outcome_date TEXT, request_outcome TEXT, request_mediation TEXT,
  request_tribunal TEXT, exported TEXT,
  PRIMARY KEY (source, rkey)
);
CREATE INDEX request_person ON request(source, person_ref);

CREATE TABLE assessment (
  source TEXT NOT NULL, rkey TEXT NOT NULL, run_id INTEGER NOT NULL, file TEXT, line INTEGER,
  path TEXT, return_year INTEGER NOT NULL DEFAULT 0, row_hash TEXT NOT NULL,
  request_ref TEXT NOT NULL, assessment_outcome TEXT, assessment_outcome_date TEXT,
  assessment_mediation TEXT, assessment_tribunal TEXT, other_mediation TEXT,
  other_tribunal TEXT, week20 TEXT,
  PRIMARY KEY (source, rkey)
);

CREATE TABLE plan (
  source TEXT NOT NULL, rkey TEXT NOT NULL, run_id INTEGER NOT NULL, file TEXT, line INTEGER,
  path TEXT, return_year INTEGER NOT NULL DEFAULT 0, row_hash TEXT NOT NULL,
  request_ref TEXT NOT NULL, start_date TEXT, plan_res TEXT, plan_wbp TEXT, pb TEXT, oa TEXT,
  dp TEXT, cease_date TEXT, cease_reason TEXT,
  PRIMARY KEY (source, rkey)
);

CREATE TABLE plan_detail (
  source TEXT NOT NULL, rkey TEXT NOT NULL, run_id INTEGER NOT NULL, file TEXT, line INTEGER,
  path TEXT, return_year INTEGER NOT NULL DEFAULT 0, row_hash TEXT NOT NULL,
  request_ref TEXT NOT NULL, seq INTEGER NOT NULL, urn TEXT, ukprn TEXT, sen_setting TEXT,
  sen_setting_other TEXT, placement_rank TEXT, sen_unit_indicator TEXT,
  resourced_provision_indicator TEXT,
  PRIMARY KEY (source, rkey)
);

CREATE TABLE placement (
  source TEXT NOT NULL, rkey TEXT NOT NULL, run_id INTEGER NOT NULL, file TEXT, line INTEGER,
  path TEXT, return_year INTEGER NOT NULL DEFAULT 0, row_hash TEXT NOT NULL,
  request_ref TEXT NOT NULL, seq INTEGER NOT NULL, urn TEXT, ukprn TEXT, sen_setting TEXT,
  sen_setting_other TEXT, placement_rank TEXT, entry_date TEXT, leaving_date TEXT,
  sen_unit_indicator TEXT, resourced_provision_indicator TEXT, res TEXT, wbp TEXT,
  PRIMARY KEY (source, rkey)
);

CREATE TABLE need (
  source TEXT NOT NULL, rkey TEXT NOT NULL, run_id INTEGER NOT NULL, file TEXT, line INTEGER,
  path TEXT, return_year INTEGER NOT NULL DEFAULT 0, row_hash TEXT NOT NULL,
  request_ref TEXT NOT NULL, seq INTEGER NOT NULL, sen_type TEXT, sen_type_rank TEXT,
  PRIMARY KEY (source, rkey)
);

CREATE TABLE review (
  source TEXT NOT NULL, rkey TEXT NOT NULL, run_id INTEGER NOT NULL, file TEXT, line INTEGER,
  path TEXT, return_year INTEGER NOT NULL DEFAULT 0, row_hash TEXT NOT NULL,
  request_ref TEXT NOT NULL, transfer_la TEXT, review_meeting TEXT, last_review TEXT,
  review_outcome TEXT, review_draft TEXT, phase_transfer_due_date TEXT,
  phase_transfer_final_date TEXT,
  PRIMARY KEY (source, rkey)
);

CREATE TABLE advice (
  source TEXT NOT NULL, rkey TEXT NOT NULL, run_id INTEGER NOT NULL, file TEXT, line INTEGER,
  path TEXT, return_year INTEGER NOT NULL DEFAULT 0, row_hash TEXT NOT NULL,
  advice_ref TEXT NOT NULL, request_ref TEXT, person_ref TEXT, nhs_number TEXT,
  advice_type TEXT, requested_date TEXT, due_date TEXT, provided_date TEXT, status TEXT,
  exception TEXT,
  PRIMARY KEY (source, rkey)
);
