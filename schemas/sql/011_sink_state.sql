-- 011: a sink's own state between runs (issue 28): what the alerts sink sent and when, and
-- what it could not send yet. Written at once, not with the run's outputs: it records
-- something done outside the hub (a message sent) that must never be done twice.
CREATE TABLE sink_state (
  sink    TEXT NOT NULL,
  key     TEXT NOT NULL,
  value   TEXT NOT NULL,
  updated TEXT NOT NULL,
  PRIMARY KEY (sink, key)
);
