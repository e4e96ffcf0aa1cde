-- Event keys compare and sort by their bytes (issue 22), as SQLite's BINARY
-- collation does: a key is an identifier, not words to sort for a reader.
-- With the database's own collation every B-tree insert and lookup of a key
-- went through the locale (strcoll), and an import spent a good part of its
-- server time there: COLLATE "C" made a 100,000-event import about 8%
-- faster on a C.UTF-8 cluster (median 1.75 s instead of 1.91 s), more, we
-- expect, on one whose locale sorts linguistically (docs/performance.md). Every column that holds event keys changes here, in
-- one migration: PostgreSQL refuses to compare text of two different
-- implicit collations. The type stays text, so no table is rewritten; the
-- indexes on these columns are rebuilt.
ALTER TABLE events ALTER COLUMN key TYPE text COLLATE "C";
ALTER TABLE event_counters ALTER COLUMN event_key TYPE text COLLATE "C";
ALTER TABLE event_operations ALTER COLUMN event_key TYPE text COLLATE "C";
ALTER TABLE event_sequences ALTER COLUMN event_key TYPE text COLLATE "C";
ALTER TABLE import_changes ALTER COLUMN event_key TYPE text COLLATE "C";
ALTER TABLE snapshot_changes ALTER COLUMN event_key TYPE text COLLATE "C";
ALTER TABLE registrations ALTER COLUMN event_key TYPE text COLLATE "C";
ALTER TABLE place_offers ALTER COLUMN event_key TYPE text COLLATE "C";
ALTER TABLE checkin_list_events ALTER COLUMN event_key TYPE text COLLATE "C";
ALTER TABLE analytics_counts ALTER COLUMN event_key TYPE text COLLATE "C";
ALTER TABLE placements ALTER COLUMN event_key TYPE text COLLATE "C";
ALTER TABLE outbox ALTER COLUMN event_key TYPE text COLLATE "C";
ALTER TABLE submissions ALTER COLUMN event_key TYPE text COLLATE "C";
ALTER TABLE submissions ALTER COLUMN target_key TYPE text COLLATE "C";
ALTER TABLE agendas ALTER COLUMN event_keys TYPE text COLLATE "C";
ALTER TABLE attendee_messages ALTER COLUMN event_keys TYPE text COLLATE "C";
