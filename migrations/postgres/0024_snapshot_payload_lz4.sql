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
