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

-- The archive's manifest: every copy of a raw input the hub wrote. Retention deletes only
-- these, never anything else a council keeps in the same folder.
CREATE TABLE archive_manifest (
  path    TEXT PRIMARY KEY,
  sha256  TEXT NOT NULL
);
INSERT OR IGNORE INTO archive_manifest(path, sha256)
  SELECT archived, sha256 FROM source_files WHERE archived IS NOT NULL AND archived <> '';
