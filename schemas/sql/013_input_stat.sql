-- 013: what an input file's size, times and inode were when it was last hashed (issue 30). A file
-- whose stat is unchanged is not hashed again (as git and rsync do): a rerun on the same inputs
-- no longer reads every byte of every file to learn that nothing changed. NULL: hash it again.
ALTER TABLE source_files ADD COLUMN stat TEXT;
