-- 001 (PostgreSQL): the regional pool. The same tables as schemas/sql/001..008 (the canonical
-- SEND dataset, its lineage, the run log, the links, validation issues and KPI history), with
-- two differences that make it a pool:
-- - every row carries its council's code, first in every key, filled in by the server from
--   the role the council's hub connects as (sendhub_council()), never by the hub;
-- - row-level security: a council role reads and changes only its own council's rows.
-- Text compares byte by byte (COLLATE "C"), as SQLite's does, so both stores order alike.
-- Record values are all text (SQLite's affinity kept a value that is not a number as text).
-- Applied by the pool's owner (an administrator), never by a council's role.

-- Which council each role writes as. sendhub_add_council() fills it.
CREATE TABLE pool_council (
  role     NAME PRIMARY KEY,
  council  TEXT COLLATE "C" NOT NULL UNIQUE
);

-- The council of the role running the statement; NULL (so no row at all) for any other role.
CREATE FUNCTION sendhub_council() RETURNS TEXT LANGUAGE sql STABLE
  AS $$ SELECT council FROM pool_council WHERE role = current_user $$;

-- The group every council role is a member of: what it may do to the tables (its rows only).
-- Roles belong to the server, not the database: two pools migrated at once may both try to
-- make them, and the later one then finds them made (not an error).
DO $$ BEGIN
  BEGIN
    CREATE ROLE sendhub_council NOLOGIN;
  EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
  END;
  BEGIN
    CREATE ROLE sendhub_pool_reader NOLOGIN;
  EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
  END;
END $$;

CREATE TABLE runs (
  council    TEXT COLLATE "C" NOT NULL DEFAULT sendhub_council(),
  run_id     BIGSERIAL PRIMARY KEY,
  started    TEXT COLLATE "C" NOT NULL,
  finished   TEXT COLLATE "C",
  status     TEXT COLLATE "C" NOT NULL,
  as_at      TEXT COLLATE "C" NOT NULL,
  exit_code  INTEGER
);

CREATE TABLE run_sources (
  council     TEXT COLLATE "C" NOT NULL DEFAULT sendhub_council(),
  seq         BIGSERIAL,
  run_id      BIGINT NOT NULL REFERENCES runs(run_id),
  source      TEXT COLLATE "C" NOT NULL,
  status      TEXT COLLATE "C" NOT NULL,
  read        BIGINT NOT NULL DEFAULT 0,
  stored      BIGINT NOT NULL DEFAULT 0,
  unchanged   BIGINT NOT NULL DEFAULT 0,
  quarantined BIGINT NOT NULL DEFAULT 0,
  removed     BIGINT NOT NULL DEFAULT 0,
  files_skipped BIGINT NOT NULL DEFAULT 0,
  error       TEXT COLLATE "C",
  PRIMARY KEY (run_id, source)
);

CREATE TABLE quarantine (
  council  TEXT COLLATE "C" NOT NULL DEFAULT sendhub_council(),
  id       BIGSERIAL PRIMARY KEY,
  run_id   BIGINT NOT NULL,
  source   TEXT COLLATE "C" NOT NULL,
  file     TEXT COLLATE "C",
  line     BIGINT,
  path     TEXT COLLATE "C",
  field    TEXT COLLATE "C",
  rule     TEXT COLLATE "C",
  reason   TEXT COLLATE "C" NOT NULL,
  raw      TEXT COLLATE "C"
);

CREATE TABLE source_files (
  council    TEXT COLLATE "C" NOT NULL DEFAULT sendhub_council(),
  source     TEXT COLLATE "C" NOT NULL,
  file       TEXT COLLATE "C" NOT NULL,
  sha256     TEXT COLLATE "C" NOT NULL,
  size       BIGINT NOT NULL,
  archived   TEXT COLLATE "C",
  first_run  BIGINT NOT NULL,
  last_run   BIGINT NOT NULL,
  complete_sha256 TEXT COLLATE "C",
  PRIMARY KEY (council, source, file)
);

CREATE TABLE source_state (
  council TEXT COLLATE "C" NOT NULL DEFAULT sendhub_council(),
  source TEXT COLLATE "C" NOT NULL,
  key    TEXT COLLATE "C" NOT NULL,
  value  TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY (council, source, key)
);

CREATE TABLE la_return (
  council TEXT COLLATE "C" NOT NULL DEFAULT sendhub_council(), source TEXT COLLATE "C" NOT NULL, rkey TEXT COLLATE "C" NOT NULL, run_id BIGINT NOT NULL,
  file TEXT COLLATE "C", line BIGINT, path TEXT COLLATE "C", return_year INTEGER NOT NULL DEFAULT 0, row_hash TEXT COLLATE "C" NOT NULL,
  year TEXT COLLATE "C", lea TEXT COLLATE "C", dmo TEXT COLLATE "C", dco TEXT COLLATE "C", dsco TEXT COLLATE "C", collection TEXT COLLATE "C", reference_date TEXT COLLATE "C", source_level TEXT COLLATE "C", software_code TEXT COLLATE "C", release TEXT COLLATE "C", serial_no TEXT COLLATE "C", datetime TEXT COLLATE "C",
  extras TEXT COLLATE "C",
  PRIMARY KEY (council, source, rkey)
);
CREATE TABLE person (
  council TEXT COLLATE "C" NOT NULL DEFAULT sendhub_council(), source TEXT COLLATE "C" NOT NULL, rkey TEXT COLLATE "C" NOT NULL, run_id BIGINT NOT NULL,
  file TEXT COLLATE "C", line BIGINT, path TEXT COLLATE "C", return_year INTEGER NOT NULL DEFAULT 0, row_hash TEXT COLLATE "C" NOT NULL,
  person_ref TEXT COLLATE "C", surname TEXT COLLATE "C", forename TEXT COLLATE "C", birth_date TEXT COLLATE "C", sex TEXT COLLATE "C", ethnicity TEXT COLLATE "C", postcode TEXT COLLATE "C", upn TEXT COLLATE "C", uln TEXT COLLATE "C", upn_unknown TEXT COLLATE "C", nhs_number TEXT COLLATE "C",
  extras TEXT COLLATE "C",
  PRIMARY KEY (council, source, rkey)
);
CREATE TABLE request (
  council TEXT COLLATE "C" NOT NULL DEFAULT sendhub_council(), source TEXT COLLATE "C" NOT NULL, rkey TEXT COLLATE "C" NOT NULL, run_id BIGINT NOT NULL,
  file TEXT COLLATE "C", line BIGINT, path TEXT COLLATE "C", return_year INTEGER NOT NULL DEFAULT 0, row_hash TEXT COLLATE "C" NOT NULL,
  request_ref TEXT COLLATE "C", person_ref TEXT COLLATE "C", received_date TEXT COLLATE "C", request_source TEXT COLLATE "C", rya TEXT COLLATE "C", request_outcome_date TEXT COLLATE "C", request_outcome TEXT COLLATE "C", request_mediation TEXT COLLATE "C", request_tribunal TEXT COLLATE "C", exported TEXT COLLATE "C",
  extras TEXT COLLATE "C",
  PRIMARY KEY (council, source, rkey)
);
CREATE TABLE assessment (
  council TEXT COLLATE "C" NOT NULL DEFAULT sendhub_council(), source TEXT COLLATE "C" NOT NULL, rkey TEXT COLLATE "C" NOT NULL, run_id BIGINT NOT NULL,
  file TEXT COLLATE "C", line BIGINT, path TEXT COLLATE "C", return_year INTEGER NOT NULL DEFAULT 0, row_hash TEXT COLLATE "C" NOT NULL,
  request_ref TEXT COLLATE "C", assessment_outcome TEXT COLLATE "C", assessment_outcome_date TEXT COLLATE "C", assessment_mediation TEXT COLLATE "C", assessment_tribunal TEXT COLLATE "C", other_mediation TEXT COLLATE "C", other_tribunal TEXT COLLATE "C", week20 TEXT COLLATE "C",
  extras TEXT COLLATE "C",
  PRIMARY KEY (council, source, rkey)
);
CREATE TABLE plan (
  council TEXT COLLATE "C" NOT NULL DEFAULT sendhub_council(), source TEXT COLLATE "C" NOT NULL, rkey TEXT COLLATE "C" NOT NULL, run_id BIGINT NOT NULL,
  file TEXT COLLATE "C", line BIGINT, path TEXT COLLATE "C", return_year INTEGER NOT NULL DEFAULT 0, row_hash TEXT COLLATE "C" NOT NULL,
  request_ref TEXT COLLATE "C", start_date TEXT COLLATE "C", plan_res TEXT COLLATE "C", plan_wbp TEXT COLLATE "C", pb TEXT COLLATE "C", oa TEXT COLLATE "C", dp TEXT COLLATE "C", cease_date TEXT COLLATE "C", cease_reason TEXT COLLATE "C", transfer_la TEXT COLLATE "C", phase_transfer_due_date TEXT COLLATE "C", phase_transfer_final_date TEXT COLLATE "C",
  extras TEXT COLLATE "C",
  PRIMARY KEY (council, source, rkey)
);
CREATE TABLE plan_detail (
  council TEXT COLLATE "C" NOT NULL DEFAULT sendhub_council(), source TEXT COLLATE "C" NOT NULL, rkey TEXT COLLATE "C" NOT NULL, run_id BIGINT NOT NULL,
  file TEXT COLLATE "C", line BIGINT, path TEXT COLLATE "C", return_year INTEGER NOT NULL DEFAULT 0, row_hash TEXT COLLATE "C" NOT NULL,
  request_ref TEXT COLLATE "C", seq TEXT COLLATE "C", urn TEXT COLLATE "C", ukprn TEXT COLLATE "C", sen_setting TEXT COLLATE "C", sen_setting_other TEXT COLLATE "C", placement_rank TEXT COLLATE "C", sen_unit_indicator TEXT COLLATE "C", resourced_provision_indicator TEXT COLLATE "C",
  extras TEXT COLLATE "C",
  PRIMARY KEY (council, source, rkey)
);
CREATE TABLE placement (
  council TEXT COLLATE "C" NOT NULL DEFAULT sendhub_council(), source TEXT COLLATE "C" NOT NULL, rkey TEXT COLLATE "C" NOT NULL, run_id BIGINT NOT NULL,
  file TEXT COLLATE "C", line BIGINT, path TEXT COLLATE "C", return_year INTEGER NOT NULL DEFAULT 0, row_hash TEXT COLLATE "C" NOT NULL,
  request_ref TEXT COLLATE "C", seq TEXT COLLATE "C", urn TEXT COLLATE "C", ukprn TEXT COLLATE "C", sen_setting TEXT COLLATE "C", sen_setting_other TEXT COLLATE "C", placement_rank TEXT COLLATE "C", entry_date TEXT COLLATE "C", leaving_date TEXT COLLATE "C", sen_unit_indicator TEXT COLLATE "C", resourced_provision_indicator TEXT COLLATE "C", res TEXT COLLATE "C", wbp TEXT COLLATE "C",
  extras TEXT COLLATE "C",
  PRIMARY KEY (council, source, rkey)
);
CREATE TABLE need (
  council TEXT COLLATE "C" NOT NULL DEFAULT sendhub_council(), source TEXT COLLATE "C" NOT NULL, rkey TEXT COLLATE "C" NOT NULL, run_id BIGINT NOT NULL,
  file TEXT COLLATE "C", line BIGINT, path TEXT COLLATE "C", return_year INTEGER NOT NULL DEFAULT 0, row_hash TEXT COLLATE "C" NOT NULL,
  request_ref TEXT COLLATE "C", seq TEXT COLLATE "C", sen_type TEXT COLLATE "C", sen_type_rank TEXT COLLATE "C",
  extras TEXT COLLATE "C",
  PRIMARY KEY (council, source, rkey)
);
CREATE TABLE review (
  council TEXT COLLATE "C" NOT NULL DEFAULT sendhub_council(), source TEXT COLLATE "C" NOT NULL, rkey TEXT COLLATE "C" NOT NULL, run_id BIGINT NOT NULL,
  file TEXT COLLATE "C", line BIGINT, path TEXT COLLATE "C", return_year INTEGER NOT NULL DEFAULT 0, row_hash TEXT COLLATE "C" NOT NULL,
  request_ref TEXT COLLATE "C", seq TEXT COLLATE "C", review_meeting TEXT COLLATE "C", last_review TEXT COLLATE "C", review_outcome TEXT COLLATE "C", review_draft TEXT COLLATE "C",
  extras TEXT COLLATE "C",
  PRIMARY KEY (council, source, rkey)
);
CREATE TABLE advice (
  council TEXT COLLATE "C" NOT NULL DEFAULT sendhub_council(), source TEXT COLLATE "C" NOT NULL, rkey TEXT COLLATE "C" NOT NULL, run_id BIGINT NOT NULL,
  file TEXT COLLATE "C", line BIGINT, path TEXT COLLATE "C", return_year INTEGER NOT NULL DEFAULT 0, row_hash TEXT COLLATE "C" NOT NULL,
  advice_ref TEXT COLLATE "C", request_ref TEXT COLLATE "C", person_ref TEXT COLLATE "C", nhs_number TEXT COLLATE "C", advice_type TEXT COLLATE "C", requested_date TEXT COLLATE "C", due_date TEXT COLLATE "C", provided_date TEXT COLLATE "C", status TEXT COLLATE "C", exception TEXT COLLATE "C",
  extras TEXT COLLATE "C",
  PRIMARY KEY (council, source, rkey)
);

CREATE INDEX plan_detail_ref_index ON plan_detail(council, source, request_ref);
CREATE INDEX placement_ref_index ON placement(council, source, request_ref);
CREATE INDEX need_ref_index ON need(council, source, request_ref);
CREATE INDEX review_ref_index ON review(council, source, request_ref);
CREATE INDEX person_year ON person(council, return_year, source, person_ref);
CREATE INDEX request_year ON request(council, return_year, source, person_ref);
CREATE INDEX plan_ref ON plan(council, source, request_ref);
CREATE INDEX assessment_ref ON assessment(council, source, request_ref);
CREATE INDEX advice_ref ON advice(council, source, advice_ref);

CREATE TABLE validation_issues (
  council     TEXT COLLATE "C" NOT NULL DEFAULT sendhub_council(),
  id          BIGSERIAL PRIMARY KEY,
  run_id      BIGINT NOT NULL,
  return_year INTEGER NOT NULL,
  rule        TEXT COLLATE "C" NOT NULL,
  severity    TEXT COLLATE "C" NOT NULL,
  file        TEXT COLLATE "C",
  line        BIGINT,
  path        TEXT COLLATE "C",
  field       TEXT COLLATE "C",
  message     TEXT COLLATE "C" NOT NULL,
  person_ref  TEXT COLLATE "C"
);
CREATE INDEX validation_issues_run ON validation_issues(council, run_id, return_year);

CREATE TABLE person_link (
  council     TEXT COLLATE "C" NOT NULL DEFAULT sendhub_council(),
  source      TEXT COLLATE "C" NOT NULL,
  person_ref  TEXT COLLATE "C" NOT NULL,
  person_key  TEXT COLLATE "C" NOT NULL,
  rule        TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY (council, source, person_ref)
);
CREATE INDEX person_link_key ON person_link(council, person_key);

CREATE TABLE request_link (
  council     TEXT COLLATE "C" NOT NULL DEFAULT sendhub_council(),
  source      TEXT COLLATE "C" NOT NULL,
  request_ref TEXT COLLATE "C" NOT NULL,
  person_key  TEXT COLLATE "C",
  case_key    TEXT COLLATE "C" NOT NULL,
  rule        TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY (council, source, request_ref)
);
CREATE INDEX request_link_key ON request_link(council, person_key);

CREATE TABLE advice_link (
  council        TEXT COLLATE "C" NOT NULL DEFAULT sendhub_council(),
  source         TEXT COLLATE "C" NOT NULL,
  advice_ref     TEXT COLLATE "C" NOT NULL,
  person_key     TEXT COLLATE "C",
  request_source TEXT COLLATE "C",
  request_ref    TEXT COLLATE "C",
  rule           TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY (council, source, advice_ref)
);
CREATE INDEX advice_link_person ON advice_link(council, person_key);

CREATE TABLE linked_person (
  council     TEXT COLLATE "C" NOT NULL DEFAULT sendhub_council(),
  person_key  TEXT COLLATE "C" NOT NULL,
  surname TEXT COLLATE "C", forename TEXT COLLATE "C", birth_date TEXT COLLATE "C", sex TEXT COLLATE "C", ethnicity TEXT COLLATE "C", postcode TEXT COLLATE "C",
  upn TEXT COLLATE "C", uln TEXT COLLATE "C", upn_unknown TEXT COLLATE "C", nhs_number TEXT COLLATE "C",
  origins     TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY (council, person_key)
);

CREATE TABLE link_conflicts (
  council     TEXT COLLATE "C" NOT NULL DEFAULT sendhub_council(),
  person_key  TEXT COLLATE "C" NOT NULL,
  field       TEXT COLLATE "C" NOT NULL,
  sources     TEXT COLLATE "C" NOT NULL,
  winner      TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY (council, person_key, field)
);

-- Per council: data_version, linked_version, link_error, links_revision, year_version.N...
-- (the store adds a council's first rows when it first connects).
CREATE TABLE dataset_state (
  council TEXT COLLATE "C" NOT NULL DEFAULT sendhub_council(),
  key     TEXT COLLATE "C" NOT NULL,
  value   TEXT COLLATE "C",
  PRIMARY KEY (council, key)
);

CREATE TABLE archive_manifest (
  council TEXT COLLATE "C" NOT NULL DEFAULT sendhub_council(),
  path    TEXT COLLATE "C" NOT NULL,
  sha256  TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY (council, path)
);

CREATE TABLE dataset_member (
  council   TEXT COLLATE "C" NOT NULL DEFAULT sendhub_council(),
  kind      INTEGER NOT NULL,
  source    TEXT COLLATE "C" NOT NULL,
  ref       TEXT COLLATE "C" NOT NULL,
  grp       TEXT COLLATE "C" NOT NULL,
  case_key  TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY (council, kind, source, ref)
);
CREATE INDEX dataset_member_group ON dataset_member(council, grp, kind, case_key);

CREATE TABLE kpi_history (
  council         TEXT COLLATE "C" NOT NULL DEFAULT sendhub_council(),
  sink            TEXT COLLATE "C" NOT NULL,
  period_start    TEXT COLLATE "C" NOT NULL,
  period_end      TEXT COLLATE "C" NOT NULL,
  as_at           TEXT COLLATE "C" NOT NULL,
  measure         TEXT COLLATE "C" NOT NULL,
  breakdown       TEXT COLLATE "C" NOT NULL,
  breakdown_value TEXT COLLATE "C" NOT NULL,
  numerator       BIGINT NOT NULL,
  denominator     BIGINT,
  value           TEXT COLLATE "C" NOT NULL,
  run_id          BIGINT NOT NULL,
  seq             BIGSERIAL,
  PRIMARY KEY (council, sink, as_at, period_start, period_end, measure, breakdown, breakdown_value)
);

-- Row-level security on every table with a council: a council role sees and changes its own
-- council's rows only; a row it writes can only be its own (WITH CHECK). The owner (the
-- administrator who applies these migrations) is not a council and is not limited.
DO $$
DECLARE t TEXT;
BEGIN
  FOR t IN SELECT c.relname FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid
           WHERE c.relkind = 'r' AND a.attname = 'council' AND c.relnamespace = current_schema()::regnamespace
             AND c.relname <> 'pool_council'
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY council_rows ON %I USING (council = sendhub_council()) '
                   'WITH CHECK (council = sendhub_council())', t);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO sendhub_council', t);
  END LOOP;
END $$;
-- Only which role writes as which council: any role may read it (a role that is no council
-- is then told so, not refused reading the table).
GRANT SELECT ON pool_council TO PUBLIC;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO sendhub_council;

-- Registers a council: its role (which must exist and log in) writes as that council code.
CREATE FUNCTION sendhub_add_council(member NAME, code TEXT) RETURNS VOID LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO pool_council(role, council) VALUES (member, code);
  EXECUTE format('GRANT sendhub_council TO %I', member);
END $$;
