-- Check-in lists (issue 19): gates that admit a set of events, with
-- re-entry and opening hours; each ticket's presence at a list; every scan a
-- device reported (idempotent per device and scan id); and each list's
-- occupancy counter, whose row lock orders the scans of one list.
-- Instants are UTC seconds.
CREATE TABLE checkin_lists (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL,
  allow_reentry INTEGER NOT NULL DEFAULT 0,
  opens_at INTEGER,
  closes_at INTEGER,
  room_capacity INTEGER CHECK (room_capacity IS NULL OR room_capacity > 0),
  alarm_percent INTEGER NOT NULL DEFAULT 90 CHECK (alarm_percent BETWEEN 1 AND 100),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE TABLE checkin_list_events (
  list_id INTEGER NOT NULL REFERENCES checkin_lists (id) ON DELETE CASCADE,
  event_key TEXT NOT NULL,
  PRIMARY KEY (list_id, event_key)
);
CREATE TABLE checkin_occupancy (
  list_id INTEGER PRIMARY KEY REFERENCES checkin_lists (id) ON DELETE CASCADE,
  inside INTEGER NOT NULL DEFAULT 0 CHECK (inside >= 0),
  entries INTEGER NOT NULL DEFAULT 0,
  exits INTEGER NOT NULL DEFAULT 0,
  duplicates INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE checkin_presence (
  list_id INTEGER NOT NULL REFERENCES checkin_lists (id) ON DELETE CASCADE,
  registration_id INTEGER NOT NULL,
  inside INTEGER NOT NULL DEFAULT 0,
  entries INTEGER NOT NULL DEFAULT 0,
  exits INTEGER NOT NULL DEFAULT 0,
  entered_at INTEGER NOT NULL DEFAULT 0,
  entered_device TEXT NOT NULL DEFAULT '',
  exited_at INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (list_id, registration_id)
);
CREATE TABLE checkin_scans (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  list_id INTEGER NOT NULL REFERENCES checkin_lists (id) ON DELETE CASCADE,
  device TEXT NOT NULL,
  scan_id TEXT NOT NULL,
  code TEXT NOT NULL,
  registration_id INTEGER,
  direction TEXT NOT NULL CHECK (direction IN ('entry', 'exit')),
  scanned_at INTEGER NOT NULL,
  received_at INTEGER NOT NULL,
  decided_offline INTEGER NOT NULL DEFAULT 0,
  outcome TEXT NOT NULL CHECK (outcome IN ('admitted', 'exited', 'refused', 'duplicate')),
  refusal TEXT NOT NULL DEFAULT '',
  flagged INTEGER NOT NULL DEFAULT 0,
  UNIQUE (device, scan_id)
);
CREATE INDEX checkin_scans_list ON checkin_scans (list_id, id);
