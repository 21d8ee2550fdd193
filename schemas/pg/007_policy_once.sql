-- 007: each council's rows found with its council looked up once a statement (issue 30).
-- `council = sendhub_council()` ran the function, a look-up in pool_council, for every row a
-- statement read or wrote; `(SELECT sendhub_council())` is the same test with the function
-- run once per statement (PostgreSQL's InitPlan). Which rows a role may see and write is
-- unchanged: the same function, of the same role, in the same statement.
DO $$
DECLARE t TEXT;
BEGIN
  FOR t IN SELECT c.relname FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid
           WHERE p.polname = 'council_rows' AND c.relnamespace = current_schema()::regnamespace
  LOOP
    EXECUTE format('ALTER POLICY council_rows ON %I USING (council = (SELECT sendhub_council())) '
                   'WITH CHECK (council = (SELECT sendhub_council()))', t);
  END LOOP;
END $$;
