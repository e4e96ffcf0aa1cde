-- Personal agendas are kept a year after their last use, not their last
-- change: reading one (its page, the API, a calendar app polling its feed)
-- marks it used, at most once a day (issue 20). UTC seconds.
ALTER TABLE agendas ADD COLUMN used_at INTEGER;
UPDATE agendas SET used_at = updated_at;
DROP INDEX agendas_by_update;
CREATE INDEX agendas_by_use ON agendas (used_at);
