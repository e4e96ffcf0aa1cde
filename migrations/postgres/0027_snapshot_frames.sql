-- Snapshot payloads stored a frame a row (issue 22). A new snapshot's LZ4
-- frames (a frame a piece of about 1 MiB of whole lines, about 100 KB
-- compressed) go into snapshot_frames, one row each in order, and its
-- payload and payload_lz4 hold nothing of it (docs/snapshot-format.md). At
-- 100,000 events the payload was one 3.9 MB value: the backend writing it
-- and every server reading it held it whole, twice, in memory each had to
-- take new (in a new session about 70 ms to read, against about 20 ms in
-- rows). Snapshots written before keep payload_lz4 or their text, and are
-- read as before. EXTERNAL: out of line, and not compressed again. No
-- foreign key: a snapshot is never deleted (a restore clears both).
CREATE TABLE snapshot_frames (
  snapshot_number BIGINT NOT NULL,
  seq INTEGER NOT NULL,
  frame BYTEA NOT NULL,
  PRIMARY KEY (snapshot_number, seq)
);
ALTER TABLE snapshot_frames ALTER COLUMN frame SET STORAGE EXTERNAL;
-- The size of a snapshot's content (its JSON Lines) in bytes, for one
-- written a frame a row: a reader makes room for it at once and puts each
-- row's content in place as the row comes, while the rest are still read.
-- NULL for snapshots written before, whose size is in their frames.
ALTER TABLE snapshots ADD COLUMN payload_bytes BIGINT;
