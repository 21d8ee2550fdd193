-- 003: the assessment's appeal and mediation dates (issue 25; schemas/sql/010), in the
-- councils' records and in their resolved datasets.
ALTER TABLE assessment ADD COLUMN other_mediation_date TEXT COLLATE "C";
ALTER TABLE assessment ADD COLUMN other_tribunal_date TEXT COLLATE "C";
ALTER TABLE resolved_assessment ADD COLUMN other_mediation_date TEXT COLLATE "C";
ALTER TABLE resolved_assessment ADD COLUMN other_tribunal_date TEXT COLLATE "C";
-- A source's entries superseded by a later copy read in the same run (issue 26).
ALTER TABLE run_sources ADD COLUMN replaced BIGINT NOT NULL DEFAULT 0;
