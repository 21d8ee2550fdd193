-- 006: an input file's stat when it was last hashed (issue 30; schemas/sql/013): a file whose
-- stat is unchanged is not hashed again. NULL: hash it again.
ALTER TABLE source_files ADD COLUMN stat TEXT COLLATE "C";
