-- 015: a sink's work on each group of the dataset kept between runs (issue 30.5). A sink that
-- walks with SinkContext::each_person_part turns each person into bytes of its own (its rows,
-- its counts); the bytes are kept here beside the group's copy (014) and deleted with it by the
-- linking that changes the group, so after a night's change a sink derives only the people who
-- changed. dataset_state 'parts:<sink>' names the mark they were derived under (the sink's
-- configuration, its reference files, its plugin library, the build, what the sink adds):
-- another mark deletes the sink's parts.
-- A rowid table, as group_copy: a part is a few hundred bytes to kilobytes, too wide to sit in
-- a WITHOUT ROWID table's key b-tree.
CREATE TABLE sink_part (
  grp    TEXT NOT NULL,   -- dataset_member.grp
  sink   TEXT NOT NULL,   -- the sink's configured name
  bytes  BLOB NOT NULL,
  PRIMARY KEY (grp, sink)
);
