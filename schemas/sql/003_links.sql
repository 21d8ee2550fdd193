-- 003: the one SEND dataset: which source records form each linked person (and by which
-- rule), how requests and advice join them, and each person's resolved values with the
-- source record each value came from.
CREATE TABLE person_link (
  source      TEXT NOT NULL,
  person_ref  TEXT NOT NULL,
  person_key  TEXT NOT NULL,
  rule        TEXT NOT NULL,
  PRIMARY KEY (source, person_ref)
);
CREATE INDEX person_link_key ON person_link(person_key);

CREATE TABLE request_link (
  source      TEXT NOT NULL,
  request_ref TEXT NOT NULL,
  person_key  TEXT,            -- empty: not linked to a person
  case_key    TEXT NOT NULL,
  rule        TEXT NOT NULL,
  PRIMARY KEY (source, request_ref)
);
CREATE INDEX request_link_key ON request_link(person_key);

CREATE TABLE advice_link (
  source         TEXT NOT NULL,
  advice_ref     TEXT NOT NULL,
  person_key     TEXT,         -- empty: not linked
  request_source TEXT,
  request_ref    TEXT,
  rule           TEXT NOT NULL,
  PRIMARY KEY (source, advice_ref)
);

CREATE TABLE linked_person (
  person_key  TEXT PRIMARY KEY,
  surname TEXT, forename TEXT, birth_date TEXT, sex TEXT, ethnicity TEXT, postcode TEXT,
  upn TEXT, uln TEXT, upn_unknown TEXT, nhs_number TEXT,
  origins     TEXT NOT NULL   -- field=source|record key;... where each value came from
);

CREATE TABLE link_conflicts (
  person_key  TEXT NOT NULL,
  field       TEXT NOT NULL,
  sources     TEXT NOT NULL,
  winner      TEXT NOT NULL,
  PRIMARY KEY (person_key, field)
);
