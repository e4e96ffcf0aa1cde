-- Snapshot payloads and changelogs stored as LZ4 frames (issue 22).
-- Snapshot payloads stored compressed (issue 22): a new snapshot's JSON Lines
-- go into payload_lz4 as one LZ4 frame (LZ4 Frame Format 1.6: content size
-- and content checksum set) and its payload is ''. At 100,000 events the
-- 44 MB of JSON Lines are a 4.7 MB frame (compressed in about 20 ms, read
-- back in 5). The server compressed the text column itself (TOAST, 0021), but
-- sent it whole: 44 MB through libpq, held twice there, for every server at
-- every publish. Snapshots written before keep their text in payload and no
-- payload_lz4 (docs/snapshot-format.md). EXTERNAL: out of line, and not
-- compressed again.
ALTER TABLE snapshots ADD COLUMN payload_lz4 BYTEA;
ALTER TABLE snapshots ALTER COLUMN payload_lz4 SET STORAGE EXTERNAL;
-- A snapshot's changelog as one LZ4 frame of text lines (one change a line:
-- adapters/store/changelog_lines), one row per snapshot that changed
-- something. A first publish of 100,000 events was 100,000 rows of
-- snapshot_changes sent by COPY into a table with two indexes. Snapshots
-- written before keep their rows in snapshot_changes (a restore writes rows
-- there too); the store reads both. No foreign key: a snapshot is never
-- deleted.
CREATE TABLE snapshot_changelogs (
  snapshot_number BIGINT PRIMARY KEY,
  change_count BIGINT NOT NULL,
  changes_lz4 BYTEA NOT NULL
);
ALTER TABLE snapshot_changelogs ALTER COLUMN changes_lz4 SET STORAGE EXTERNAL;
