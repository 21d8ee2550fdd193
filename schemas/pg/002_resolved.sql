-- 002 (PostgreSQL): the resolved dataset, as every sink sees it (one request per case, its
-- fields merged by precedence, each case's records; link/dataset.h), kept for the readers of the
-- pool who are not a council's hub: the pool reader's pseudonymised views (made by
-- sendhub pool-migrate from schemas/privacy/pseudonymise.json) and the pooled KPIs.
-- A council's run replaces its rows whenever its links or data changed. person_key is ''
-- for a case or advice linked to no person; case_key is then "unlinked-N" (numbered in the
-- dataset's order, as the pseudonymised extract numbers them), so no source reference is
-- kept here. record_no orders each kind's rows as the dataset gives them.

CREATE TABLE resolved_person (
  council TEXT COLLATE "C" NOT NULL DEFAULT sendhub_council(), record_no BIGINT NOT NULL,
  person_key TEXT COLLATE "C" NOT NULL, case_key TEXT COLLATE "C" NOT NULL,
  person_ref TEXT COLLATE "C", surname TEXT COLLATE "C", forename TEXT COLLATE "C", birth_date TEXT COLLATE "C", sex TEXT COLLATE "C", ethnicity TEXT COLLATE "C", postcode TEXT COLLATE "C", upn TEXT COLLATE "C", uln TEXT COLLATE "C", upn_unknown TEXT COLLATE "C", nhs_number TEXT COLLATE "C",
  PRIMARY KEY (council, record_no)
);
CREATE TABLE resolved_request (
  council TEXT COLLATE "C" NOT NULL DEFAULT sendhub_council(), record_no BIGINT NOT NULL,
  person_key TEXT COLLATE "C" NOT NULL, case_key TEXT COLLATE "C" NOT NULL,
  request_ref TEXT COLLATE "C", person_ref TEXT COLLATE "C", received_date TEXT COLLATE "C", request_source TEXT COLLATE "C", rya TEXT COLLATE "C", request_outcome_date TEXT COLLATE "C", request_outcome TEXT COLLATE "C", request_mediation TEXT COLLATE "C", request_tribunal TEXT COLLATE "C", exported TEXT COLLATE "C",
  PRIMARY KEY (council, record_no)
);
CREATE TABLE resolved_assessment (
  council TEXT COLLATE "C" NOT NULL DEFAULT sendhub_council(), record_no BIGINT NOT NULL,
  person_key TEXT COLLATE "C" NOT NULL, case_key TEXT COLLATE "C" NOT NULL,
  request_ref TEXT COLLATE "C", assessment_outcome TEXT COLLATE "C", assessment_outcome_date TEXT COLLATE "C", assessment_mediation TEXT COLLATE "C", assessment_tribunal TEXT COLLATE "C", other_mediation TEXT COLLATE "C", other_tribunal TEXT COLLATE "C", week20 TEXT COLLATE "C",
  PRIMARY KEY (council, record_no)
);
CREATE TABLE resolved_plan (
  council TEXT COLLATE "C" NOT NULL DEFAULT sendhub_council(), record_no BIGINT NOT NULL,
  person_key TEXT COLLATE "C" NOT NULL, case_key TEXT COLLATE "C" NOT NULL,
  request_ref TEXT COLLATE "C", start_date TEXT COLLATE "C", plan_res TEXT COLLATE "C", plan_wbp TEXT COLLATE "C", pb TEXT COLLATE "C", oa TEXT COLLATE "C", dp TEXT COLLATE "C", cease_date TEXT COLLATE "C", cease_reason TEXT COLLATE "C", transfer_la TEXT COLLATE "C", phase_transfer_due_date TEXT COLLATE "C", phase_transfer_final_date TEXT COLLATE "C",
  PRIMARY KEY (council, record_no)
);
CREATE TABLE resolved_plan_detail (
  council TEXT COLLATE "C" NOT NULL DEFAULT sendhub_council(), record_no BIGINT NOT NULL,
  person_key TEXT COLLATE "C" NOT NULL, case_key TEXT COLLATE "C" NOT NULL,
  request_ref TEXT COLLATE "C", seq TEXT COLLATE "C", urn TEXT COLLATE "C", ukprn TEXT COLLATE "C", sen_setting TEXT COLLATE "C", sen_setting_other TEXT COLLATE "C", placement_rank TEXT COLLATE "C", sen_unit_indicator TEXT COLLATE "C", resourced_provision_indicator TEXT COLLATE "C",
  PRIMARY KEY (council, record_no)
);
CREATE TABLE resolved_placement (
  council TEXT COLLATE "C" NOT NULL DEFAULT sendhub_council(), record_no BIGINT NOT NULL,
  person_key TEXT COLLATE "C" NOT NULL, case_key TEXT COLLATE "C" NOT NULL,
  request_ref TEXT COLLATE "C", seq TEXT COLLATE "C", urn TEXT COLLATE "C", ukprn TEXT COLLATE "C", sen_setting TEXT COLLATE "C", sen_setting_other TEXT COLLATE "C", placement_rank TEXT COLLATE "C", entry_date TEXT COLLATE "C", leaving_date TEXT COLLATE "C", sen_unit_indicator TEXT COLLATE "C", resourced_provision_indicator TEXT COLLATE "C", res TEXT COLLATE "C", wbp TEXT COLLATE "C",
  PRIMARY KEY (council, record_no)
);
CREATE TABLE resolved_need (
  council TEXT COLLATE "C" NOT NULL DEFAULT sendhub_council(), record_no BIGINT NOT NULL,
  person_key TEXT COLLATE "C" NOT NULL, case_key TEXT COLLATE "C" NOT NULL,
  request_ref TEXT COLLATE "C", seq TEXT COLLATE "C", sen_type TEXT COLLATE "C", sen_type_rank TEXT COLLATE "C",
  PRIMARY KEY (council, record_no)
);
CREATE TABLE resolved_review (
  council TEXT COLLATE "C" NOT NULL DEFAULT sendhub_council(), record_no BIGINT NOT NULL,
  person_key TEXT COLLATE "C" NOT NULL, case_key TEXT COLLATE "C" NOT NULL,
  request_ref TEXT COLLATE "C", seq TEXT COLLATE "C", review_meeting TEXT COLLATE "C", last_review TEXT COLLATE "C", review_outcome TEXT COLLATE "C", review_draft TEXT COLLATE "C",
  PRIMARY KEY (council, record_no)
);
CREATE TABLE resolved_advice (
  council TEXT COLLATE "C" NOT NULL DEFAULT sendhub_council(), record_no BIGINT NOT NULL,
  person_key TEXT COLLATE "C" NOT NULL, case_key TEXT COLLATE "C" NOT NULL,
  advice_ref TEXT COLLATE "C", request_ref TEXT COLLATE "C", person_ref TEXT COLLATE "C", nhs_number TEXT COLLATE "C", advice_type TEXT COLLATE "C", requested_date TEXT COLLATE "C", due_date TEXT COLLATE "C", provided_date TEXT COLLATE "C", status TEXT COLLATE "C", exception TEXT COLLATE "C",
  PRIMARY KEY (council, record_no)
);
-- The pooled KPIs join a case's records by its key, and a person by theirs.
CREATE INDEX resolved_person_key ON resolved_person(council, person_key);
CREATE INDEX resolved_request_case ON resolved_request(council, case_key);
CREATE INDEX resolved_assessment_case ON resolved_assessment(council, case_key);
CREATE INDEX resolved_plan_case ON resolved_plan(council, case_key);
CREATE INDEX resolved_placement_case ON resolved_placement(council, case_key);
CREATE INDEX resolved_need_case ON resolved_need(council, case_key);
CREATE INDEX resolved_review_case ON resolved_review(council, case_key);

DO $$
DECLARE t TEXT;
BEGIN
  FOR t IN SELECT c.relname FROM pg_class c
           WHERE c.relkind = 'r' AND c.relname LIKE 'resolved\_%' AND c.relnamespace = current_schema()::regnamespace
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY council_rows ON %I USING (council = sendhub_council()) '
                   'WITH CHECK (council = sendhub_council())', t);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO sendhub_council', t);
  END LOOP;
END $$;

-- privacy.md §6's degradations, as the pseudonymised extract makes them
-- (plugins/pseudo_extract/pseudonymiser.cpp): NULL for a value that is not a valid ISO date
-- or UK postcode, so an unreadable value is never passed through.
CREATE FUNCTION sendhub_first_of_month(d TEXT) RETURNS TEXT LANGUAGE sql IMMUTABLE STRICT
  AS $$ SELECT CASE WHEN d ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' THEN left(d, 8) || '01' END $$;
CREATE FUNCTION sendhub_postcode_sector(p TEXT) RETURNS TEXT LANGUAGE sql IMMUTABLE STRICT
  AS $$ SELECT CASE WHEN length(c) BETWEEN 5 AND 7 AND c ~ '^[A-Z][A-Z]?[0-9][A-Z0-9]*[0-9][A-Z][A-Z]$'
                    THEN left(c, length(c) - 3) || ' ' || substr(c, length(c) - 2, 1) END
        FROM (SELECT upper(replace(p, ' ', '')) COLLATE "C" AS c) s $$;

-- A date written YYYY-MM-DD that is a real day (years 1 to 9999), else NULL: the pooled KPIs'
-- elapsed days, as text/dates.h's parse_iso reads a date.
CREATE FUNCTION sendhub_day(d TEXT) RETURNS DATE LANGUAGE sql IMMUTABLE STRICT
  AS $$ SELECT CASE WHEN d ~ '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$' AND left(d, 4) <> '0000' THEN
                 CASE WHEN substr(d, 9, 2)::int <= extract(day from make_date(left(d, 4)::int, substr(d, 6, 2)::int, 1)
                                                                  + interval '1 month - 1 day')
                      THEN d::date END END $$;

-- Brings the planner's statistics up to date after a council's bulk change (a load, a relink, a
-- new resolved copy). Autovacuum analyzes later; until then a table that grew from nothing is
-- planned as empty, and a nested loop over it reads a million rows once per row. Only a table's
-- owner may ANALYZE it, so this runs as the owner, and only on the pool's own tables.
CREATE FUNCTION sendhub_analyze(names TEXT[]) RETURNS VOID LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = public, pg_temp AS $$
DECLARE t TEXT;
BEGIN
  FOR t IN SELECT c.relname FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'council'
           WHERE c.relkind = 'r' AND c.relnamespace = 'public'::regnamespace AND c.relname = ANY(names)
  LOOP
    EXECUTE format('ANALYZE public.%I', t);
  END LOOP;
END $$;
REVOKE ALL ON FUNCTION sendhub_analyze(TEXT[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION sendhub_analyze(TEXT[]) TO sendhub_council;
