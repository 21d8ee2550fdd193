-- 014: each group of the dataset kept as bytes between runs (issue 30, items 4 and 5). A walk
-- of the dataset read every group from the record tables, eight indexed joins a group and a
-- random read each once the store outgrows the page cache; after a night's change it read the
-- 99% of groups that did not change all the same. A group's copy is its records as the walk
-- gives them (store/group_codec.h), written by the walk that first reads it and deleted by the
-- linking that changes it; the next walk reads only the groups without a copy from the record
-- tables. dataset_state 'group_copies' names the linked version the copies describe; any other
-- value (a linking that compared everything, a store from before this) means none is used.
CREATE TABLE group_copy (
  grp    TEXT PRIMARY KEY,   -- dataset_member.grp
  bytes  BLOB NOT NULL
);
INSERT OR REPLACE INTO dataset_state(key, value) VALUES ('group_copies', '');
