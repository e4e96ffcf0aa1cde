-- Snapshot payloads stored compressed (issue 22): a new snapshot's JSON Lines
-- go into payload_lz4 as one LZ4 frame (LZ4 Frame Format 1.6: content size
-- and content checksum set) and its payload is ''. At 100,000 events the
-- 44 MB of JSON Lines are a 4.7 MB frame (compressed in about 20 ms, read
-- back in 5): each publish wrote 44 MB into the database (twice, WAL and
-- checkpoint) and each server read them back. Snapshots written before keep
-- their text in payload and no payload_lz4 (docs/snapshot-format.md).
ALTER TABLE snapshots ADD COLUMN payload_lz4 BLOB;
