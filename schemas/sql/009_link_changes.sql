-- 009: linking revisits only the people whose records changed (issue 11).
--
-- link_changes: every record stored or removed since the last linking, by the reference
-- linking joins it on: a person's person_ref, a request's request_ref (also for the records
-- that hang from a request), an advice record's advice_ref. While dataset_state
-- 'link_changes' is 'tracked' the table is complete; a first load of a source, or more
-- changes than it is worth noting, sets it to 'untracked' and the next linking links all.
CREATE TABLE link_changes (
  kind    INTEGER NOT NULL,   -- RecordKind
  source  TEXT NOT NULL,
  ref     TEXT NOT NULL,
  PRIMARY KEY (kind, source, ref)
) WITHOUT ROWID;
INSERT OR REPLACE INTO dataset_state(key, value) VALUES ('link_changes', 'untracked');

-- The keys linking compared each person record on, as of the last linking: slot i < n is
-- match rule i's key, slot n the record's best identifier (what its person_key is made
-- from), slot n + 1 its valid NHS number (n = the rules in schemas/link/rules.json).
-- Records sharing any key can affect each other's links, so a changed record's links are
-- redone with every record reachable from it through shared keys, and no others.
CREATE TABLE person_match (
  slot        INTEGER NOT NULL,
  key         TEXT NOT NULL,
  source      TEXT NOT NULL,
  person_ref  TEXT NOT NULL,
  PRIMARY KEY (slot, key, source, person_ref)
) WITHOUT ROWID;
CREATE INDEX person_match_ref ON person_match(source, person_ref);

-- The same for advice: slot 0 its normalised NHS number, slot 1 the request_ref it names.
CREATE TABLE advice_match (
  slot        INTEGER NOT NULL,
  key         TEXT NOT NULL,
  source      TEXT NOT NULL,
  advice_ref  TEXT NOT NULL,
  PRIMARY KEY (slot, key, source, advice_ref)
) WITHOUT ROWID;
CREATE INDEX advice_match_ref ON advice_match(source, advice_ref);

-- Advice found by the person or request it was linked to.
CREATE INDEX advice_link_person ON advice_link(person_key);
CREATE INDEX advice_link_request ON advice_link(request_ref);
