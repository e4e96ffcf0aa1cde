-- Publishing and importing a large programme (issue 22).
-- A changelog row is written only in the transaction that writes its
-- snapshot, and snapshots are never deleted; the foreign key's check, one row
-- lock on the snapshot per changelog row, took 1.2 s of a 100,000-event first
-- publish. The rows keep their snapshot number; the check goes. The same for
-- an import's history rows and their import run (never deleted either).
ALTER TABLE snapshot_changes DROP CONSTRAINT IF EXISTS snapshot_changes_snapshot_number_fkey;
ALTER TABLE import_changes DROP CONSTRAINT IF EXISTS import_changes_import_id_fkey;
-- New snapshot payloads are compressed with LZ4 where the server has it
-- (PostgreSQL 14 or later built with LZ4; a 44 MB payload: pglz 0.5 s, LZ4
-- 0.25 s); otherwise pglz as before.
DO $$ BEGIN IF current_setting('server_version_num')::int >= 140000 THEN EXECUTE 'ALTER TABLE snapshots ALTER COLUMN payload SET COMPRESSION lz4'; END IF; EXCEPTION WHEN feature_not_supported OR invalid_parameter_value THEN NULL; END $$;
