-- Host submissions awaiting moderation, and console imports staged between
-- the dry run and the commit (the uploaded bytes in base64, any encoding).
-- payload: the proposed fields, a JSON object field -> text (as the console's event form spells them).
-- target_key: the event an update is for ('' for a new event); event_key: the
-- event the submission became on approval.
CREATE TABLE submissions (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  token_hash TEXT NOT NULL UNIQUE,
  target_key TEXT NOT NULL DEFAULT '',
  payload TEXT NOT NULL,
  host_name TEXT NOT NULL,
  host_email TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  state TEXT NOT NULL CHECK (state IN ('pending', 'approved', 'rejected')),
  reason TEXT NOT NULL DEFAULT '',
  event_key TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  decided_at INTEGER,
  decided_by TEXT NOT NULL DEFAULT ''
);
CREATE INDEX submissions_by_state ON submissions (state, id);
CREATE TABLE staged_imports (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  token_hash TEXT NOT NULL UNIQUE,
  created_by TEXT NOT NULL,
  file_name TEXT NOT NULL,
  format TEXT NOT NULL,
  time_zone TEXT NOT NULL,
  content_base64 TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
