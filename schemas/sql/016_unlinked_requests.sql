-- 016: the requests no person was linked to, found without reading every request link. A
-- narrowed linking (a night's change) looks for them every run, to say which
-- link.person_sources entry is missing (issue 12.9): a scan of request_link each night (0.3 s at
-- 100,000 children). The index holds only the unlinked rows, so it costs next to nothing to keep;
-- the queries name the same condition, which lets SQLite use it.
CREATE INDEX request_link_unlinked ON request_link(source) WHERE COALESCE(person_key, '') = '';
