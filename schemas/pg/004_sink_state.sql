-- 004: a sink's own state between runs (issue 28; schemas/sql/011): what the alerts sink sent
-- and when, per council, under the same row-level security as every council's table.
CREATE TABLE sink_state (
  council TEXT COLLATE "C" NOT NULL DEFAULT sendhub_council(),
  sink    TEXT COLLATE "C" NOT NULL,
  key     TEXT COLLATE "C" NOT NULL,
  value   TEXT COLLATE "C" NOT NULL,
  updated TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY (council, sink, key)
);
ALTER TABLE sink_state ENABLE ROW LEVEL SECURITY;
CREATE POLICY council_rows ON sink_state USING (council = sendhub_council()) WITH CHECK (council = sendhub_council());
GRANT SELECT, INSERT, UPDATE, DELETE ON sink_state TO sendhub_council;
