-- 010: when an appeal or mediation about a plan happened (issue 25), so one about a plan
-- issued years before (an H chain) is counted in the period it happened in.
ALTER TABLE assessment ADD COLUMN other_mediation_date TEXT;
ALTER TABLE assessment ADD COLUMN other_tribunal_date TEXT;

-- And a source's entries superseded by a later copy read in the same run (issue 26), so
-- that read = stored + unchanged + quarantined + replaced.
ALTER TABLE run_sources ADD COLUMN replaced INTEGER NOT NULL DEFAULT 0;
