-- Schedule updates (SQLite): the changelog's details, iCalendar sequences,
-- and the outbox's delivery state.
-- details: what changed, one "field<TAB>before<TAB>after" line per field (docs/notifications.md).
ALTER TABLE snapshot_changes ADD COLUMN details TEXT NOT NULL DEFAULT '';
-- SEQUENCE of each event's iCalendar entry (RFC 5545 §3.8.7.4): bumped in the
-- publish transaction for every event the publish changed or removed.
CREATE TABLE event_sequences (
  event_key TEXT PRIMARY KEY,
  sequence INTEGER NOT NULL DEFAULT 0
);
-- The personal registration token, sealed with a key derived from the
-- registration token secret, so that messages can carry the attendee's link.
ALTER TABLE registrations ADD COLUMN token_sealed TEXT;
-- Delivery state of the outbox. pending rows are due at due_at; a worker
-- claims a row for a lease (claimed_by, claimed_until) and marks it sent only
-- after the SMTP server accepted the message.
ALTER TABLE outbox ADD COLUMN state TEXT NOT NULL DEFAULT 'pending'
  CHECK (state IN ('pending', 'sent', 'failed', 'skipped'));
ALTER TABLE outbox ADD COLUMN due_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN last_error TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN claimed_by TEXT;
ALTER TABLE outbox ADD COLUMN claimed_until INTEGER;
-- event_changed rows: the live snapshot before the first change folded in
-- (base_snapshot), the last publish folded in (snapshot_number), and a
-- revision bumped by each fold so a send that raced a fold is not marked sent.
ALTER TABLE outbox ADD COLUMN base_snapshot INTEGER;
ALTER TABLE outbox ADD COLUMN snapshot_number INTEGER;
ALTER TABLE outbox ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN updated_at INTEGER NOT NULL DEFAULT 0;
-- Rows written before delivery existed are not sent days later.
UPDATE outbox SET state = 'skipped', last_error = 'written before e-mail delivery existed (schema 7)';
CREATE INDEX outbox_due ON outbox (state, due_at, id);
CREATE INDEX outbox_by_registration ON outbox (registration_id, kind, state);
