-- 005: the school census (issue 29; schemas/sql/012): the pupil kind, stored per council and
-- resolved for the pool's readers, under the same row-level security as every council's table.
CREATE TABLE pupil (
  council TEXT COLLATE "C" NOT NULL DEFAULT sendhub_council(), source TEXT COLLATE "C" NOT NULL, rkey TEXT COLLATE "C" NOT NULL, run_id BIGINT NOT NULL,
  file TEXT COLLATE "C", line BIGINT, path TEXT COLLATE "C", return_year INTEGER NOT NULL DEFAULT 0, row_hash TEXT COLLATE "C" NOT NULL,
  person_ref TEXT COLLATE "C", census_date TEXT COLLATE "C", urn TEXT COLLATE "C", phase TEXT COLLATE "C", enrolment_status TEXT COLLATE "C", nc_year TEXT COLLATE "C",
  sen_provision TEXT COLLATE "C", sen_need_1 TEXT COLLATE "C", sen_need_2 TEXT COLLATE "C", fsm TEXT COLLATE "C", pupil_premium TEXT COLLATE "C",
  sessions_possible TEXT COLLATE "C", sessions_missed TEXT COLLATE "C", suspensions TEXT COLLATE "C", permanent_exclusions TEXT COLLATE "C", home_educated TEXT COLLATE "C",
  extras TEXT COLLATE "C",
  PRIMARY KEY (council, source, rkey)
);
CREATE INDEX pupil_ref ON pupil(council, source, person_ref);
CREATE TABLE resolved_pupil (
  council TEXT COLLATE "C" NOT NULL DEFAULT sendhub_council(), record_no BIGINT NOT NULL,
  person_key TEXT COLLATE "C" NOT NULL, case_key TEXT COLLATE "C" NOT NULL,
  person_ref TEXT COLLATE "C", census_date TEXT COLLATE "C", urn TEXT COLLATE "C", phase TEXT COLLATE "C", enrolment_status TEXT COLLATE "C", nc_year TEXT COLLATE "C",
  sen_provision TEXT COLLATE "C", sen_need_1 TEXT COLLATE "C", sen_need_2 TEXT COLLATE "C", fsm TEXT COLLATE "C", pupil_premium TEXT COLLATE "C",
  sessions_possible TEXT COLLATE "C", sessions_missed TEXT COLLATE "C", suspensions TEXT COLLATE "C", permanent_exclusions TEXT COLLATE "C", home_educated TEXT COLLATE "C",
  PRIMARY KEY (council, record_no)
);
CREATE INDEX resolved_pupil_person ON resolved_pupil(council, person_key);
ALTER TABLE pupil ENABLE ROW LEVEL SECURITY;
CREATE POLICY council_rows ON pupil USING (council = sendhub_council()) WITH CHECK (council = sendhub_council());
GRANT SELECT, INSERT, UPDATE, DELETE ON pupil TO sendhub_council;
ALTER TABLE resolved_pupil ENABLE ROW LEVEL SECURITY;
CREATE POLICY council_rows ON resolved_pupil USING (council = sendhub_council()) WITH CHECK (council = sendhub_council());
GRANT SELECT, INSERT, UPDATE, DELETE ON resolved_pupil TO sendhub_council;
