-- 006: columns a mapping profile keeps that are no canonical field (caseworker, team),
-- stored with each record as a JSON object of name -> value (NULL when none).
ALTER TABLE la_return ADD COLUMN extras TEXT;
ALTER TABLE person ADD COLUMN extras TEXT;
ALTER TABLE request ADD COLUMN extras TEXT;
ALTER TABLE assessment ADD COLUMN extras TEXT;
ALTER TABLE plan ADD COLUMN extras TEXT;
ALTER TABLE plan_detail ADD COLUMN extras TEXT;
ALTER TABLE placement ADD COLUMN extras TEXT;
ALTER TABLE need ADD COLUMN extras TEXT;
ALTER TABLE review ADD COLUMN extras TEXT;
ALTER TABLE advice ADD COLUMN extras TEXT;
