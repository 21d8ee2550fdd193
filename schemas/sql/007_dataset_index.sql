-- 007: the dataset read person by person (issue 11). Linking writes, for every record's
-- (kind, source, reference), the group it belongs to (its person_key; a case or advice
-- linked to no person forms a group of its own) and its case. Sinks then stream the groups
-- in order with one indexed join per kind, holding one person at a time.
CREATE TABLE dataset_member (
  kind      INTEGER NOT NULL,   -- RecordKind
  source    TEXT NOT NULL,
  ref       TEXT NOT NULL,      -- person_ref, request_ref or advice_ref
  grp       TEXT NOT NULL,      -- the person_key, else 'case:' || case_key or 'advice:' ...
  case_key  TEXT NOT NULL,      -- '' for a person, and for advice with no case
  PRIMARY KEY (kind, source, ref)
) WITHOUT ROWID;
CREATE INDEX dataset_member_group ON dataset_member(grp, kind, case_key);

-- Each record table is joined on the reference it hangs from: a kind keyed by that
-- reference alone (person, request, assessment, plan, advice) through its primary key
-- (source, rkey); a repeated kind through an index.
CREATE INDEX plan_detail_ref_index ON plan_detail(source, request_ref);
CREATE INDEX placement_ref_index ON placement(source, request_ref);
CREATE INDEX need_ref_index ON need(source, request_ref);
CREATE INDEX review_ref_index ON review(source, request_ref);
-- Validation streams one return year person by person.
CREATE INDEX person_year ON person(return_year, source, person_ref);
CREATE INDEX request_year ON request(return_year, source, person_ref);

-- A file read whole, by its SHA-256: an unchanged file is not parsed again (issue 11).
ALTER TABLE source_files ADD COLUMN complete_sha256 TEXT;
-- How many files a source found unchanged and did not read (the run log says so).
ALTER TABLE run_sources ADD COLUMN files_skipped INTEGER NOT NULL DEFAULT 0;
