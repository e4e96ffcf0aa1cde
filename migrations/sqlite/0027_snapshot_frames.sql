-- Snapshot payloads stored a frame a row (issue 22). A new snapshot's LZ4
-- frames (a frame a piece of about 1 MiB of whole lines, about 100 KB
-- compressed) go into snapshot_frames, one row each in order, and its
-- payload and payload_lz4 hold nothing of it (docs/snapshot-format.md).
-- PostgreSQL read a 3.9 MB value whole, held twice by the backend and by
-- libpq; both stores keep the same tables. Snapshots written before keep
-- payload_lz4 or their text, and are read as before. No foreign key: a
-- snapshot is never deleted (a restore clears both).
CREATE TABLE snapshot_frames (
  snapshot_number INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  frame BLOB NOT NULL,
  PRIMARY KEY (snapshot_number, seq)
);
-- The size of a snapshot's content (its JSON Lines) in bytes, for one
-- written a frame a row: a reader makes room for it at once and puts each
-- row's content in place as the row comes, while the rest are still read.
-- NULL for snapshots written before, whose size is in their frames.
ALTER TABLE snapshots ADD COLUMN payload_bytes INTEGER;
