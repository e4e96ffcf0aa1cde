-- Registrations, capacity counters, the state-move history and the outbox (SQLite).
ALTER TABLE events ADD COLUMN registration INTEGER NOT NULL DEFAULT 0 CHECK (registration IN (0, 1));
ALTER TABLE events ADD COLUMN waitlist INTEGER NOT NULL DEFAULT 0 CHECK (waitlist IN (0, 1));
ALTER TABLE events ADD COLUMN retention_days INTEGER CHECK (retention_days IS NULL OR retention_days >= 0);
ALTER TABLE events ADD COLUMN questions TEXT NOT NULL DEFAULT '';
-- One row per event: the place count that capacity checks update atomically.
-- The CHECK makes overbooking impossible whatever the application does.
CREATE TABLE event_counters (
  event_key TEXT PRIMARY KEY,
  capacity INTEGER,
  confirmed INTEGER NOT NULL DEFAULT 0,
  waitlisted INTEGER NOT NULL DEFAULT 0,
  CHECK (confirmed >= 0 AND waitlisted >= 0),
  CHECK (capacity IS NULL OR confirmed <= capacity)
);
INSERT INTO event_counters (event_key, capacity) SELECT key, capacity FROM events;
CREATE TABLE registrations (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  event_key TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('confirmed', 'waitlisted', 'cancelled', 'checked_in')),
  name TEXT NOT NULL DEFAULT '',
  email TEXT,
  answers TEXT NOT NULL DEFAULT '',
  token_hash TEXT NOT NULL UNIQUE,
  ticket_code TEXT NOT NULL UNIQUE,
  idempotency_key TEXT,
  request_hash TEXT NOT NULL DEFAULT '',
  first_status INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  checked_in_at INTEGER,
  erased_at INTEGER
);
CREATE UNIQUE INDEX registrations_active_email ON registrations (event_key, email)
  WHERE email IS NOT NULL AND state IN ('confirmed', 'waitlisted', 'checked_in');
CREATE UNIQUE INDEX registrations_idempotency ON registrations (event_key, idempotency_key)
  WHERE idempotency_key IS NOT NULL;
CREATE INDEX registrations_by_event ON registrations (event_key, state, id);
CREATE TABLE registration_moves (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  registration_id INTEGER NOT NULL REFERENCES registrations (id),
  from_state TEXT,
  to_state TEXT NOT NULL,
  at INTEGER NOT NULL,
  actor TEXT NOT NULL
);
CREATE INDEX registration_moves_by_registration ON registration_moves (registration_id, id);
-- Messages to send, written in the same transaction as the change they report.
-- No personal data here: the sender joins registrations at delivery time.
CREATE TABLE outbox (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  kind TEXT NOT NULL,
  event_key TEXT NOT NULL,
  registration_id INTEGER,
  dedup_key TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL,
  sent_at INTEGER
);
-- Installation-wide values shared by every instance (e.g. the registration token secret).
CREATE TABLE settings (
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
