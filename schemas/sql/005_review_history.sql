-- 005: interfaces.md §3 as changed: a plan carries transfer_la and the phase-transfer
-- dates; reviews are a history (several per plan, keyed request_ref + seq). What earlier
-- versions stored on the one review row moves to the plan of the same source and case.
ALTER TABLE plan ADD COLUMN transfer_la TEXT;
ALTER TABLE plan ADD COLUMN phase_transfer_due_date TEXT;
ALTER TABLE plan ADD COLUMN phase_transfer_final_date TEXT;
UPDATE plan SET
  transfer_la = (SELECT r.transfer_la FROM review r WHERE r.source = plan.source AND r.request_ref = plan.request_ref),
  phase_transfer_due_date = (SELECT r.phase_transfer_due_date FROM review r
                             WHERE r.source = plan.source AND r.request_ref = plan.request_ref),
  phase_transfer_final_date = (SELECT r.phase_transfer_final_date FROM review r
                               WHERE r.source = plan.source AND r.request_ref = plan.request_ref);

ALTER TABLE review RENAME TO review_004;
CREATE TABLE review (
  source TEXT NOT NULL, rkey TEXT NOT NULL, run_id INTEGER NOT NULL, file TEXT, line INTEGER,
  path TEXT, return_year INTEGER NOT NULL DEFAULT 0, row_hash TEXT NOT NULL,
  request_ref TEXT NOT NULL, seq INTEGER NOT NULL, review_meeting TEXT, last_review TEXT,
  review_outcome TEXT, review_draft TEXT,
  PRIMARY KEY (source, rkey)
);
INSERT INTO review(source, rkey, run_id, file, line, path, return_year, row_hash, request_ref, seq,
                   review_meeting, last_review, review_outcome, review_draft)
  SELECT source, request_ref || '|1', run_id, file, line, path, return_year, '', request_ref, 1,
         review_meeting, last_review, review_outcome, review_draft
  FROM review_004
  WHERE COALESCE(review_meeting, last_review, review_outcome, review_draft) IS NOT NULL;
DROP TABLE review_004;
