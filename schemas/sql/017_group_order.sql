-- 017: the order a walk gives the groups in, kept between runs (issue 30). A walk for a return
-- year gives first the persons that year's loaded return reported, by the line of their first
-- request there, then every other group by key; any other walk every group by key. Worked out
-- afresh, that was a scan of the whole dataset index and a sort (0.3-0.6 s at 100,000 children)
-- before the first group of every walk, a night's too. The order is kept beside the copies (014)
-- and kept true by the same linking: a group the linking touches loses its rows here and is
-- noted in group_order_touched, and the next walk that may write gives it its place again; a
-- linking of everything deletes the order with the copies. Valid while the copies describe the
-- links (dataset_state 'group_copies').
CREATE TABLE group_order (
  year  INTEGER NOT NULL,   -- the walk's order year (0: by key)
  late  INTEGER NOT NULL,   -- 1: not in that year's return (after those that are), or year 0
  at    INTEGER NOT NULL,   -- the line of its first request in that year's return (0 when late)
  grp   TEXT NOT NULL,      -- dataset_member.grp
  PRIMARY KEY (year, late, at, grp)
) WITHOUT ROWID;
CREATE INDEX group_order_group ON group_order(grp);
CREATE TABLE group_order_touched (
  grp   TEXT PRIMARY KEY
) WITHOUT ROWID;
