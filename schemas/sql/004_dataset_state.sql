-- 004: whether the links describe the data. data_version grows in the same transaction as
-- every source that changes records; linking saves the version it linked (and why it
-- failed, when it did). Sinks, `export` and `kpis` publish only while the two are equal:
-- never from a dataset whose linking failed or did not finish.
CREATE TABLE dataset_state (
  key   TEXT PRIMARY KEY,
  value TEXT             -- NULL reads as ""
);
-- A store from before this table: its links are of unknown age until the next run links.
INSERT INTO dataset_state(key, value) VALUES ('data_version', '1'), ('linked_version', '0'),
  ('link_error', '');
