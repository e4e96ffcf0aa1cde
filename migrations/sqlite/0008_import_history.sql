-- Committed imports and what each changed, so that one can be reverted (issue 14).
-- import_changes.previous: the event before the import as a JSON object of its
-- row by column name, NULL when the import added the event.
CREATE TABLE import_runs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at INTEGER NOT NULL,
  actor TEXT NOT NULL,
  file TEXT NOT NULL,
  format TEXT NOT NULL DEFAULT '',
  inserted INTEGER NOT NULL DEFAULT 0,
  updated INTEGER NOT NULL DEFAULT 0,
  unchanged INTEGER NOT NULL DEFAULT 0,
  reverted_at INTEGER,
  reverted_by TEXT NOT NULL DEFAULT ''
);
CREATE TABLE import_changes (
  import_id INTEGER NOT NULL REFERENCES import_runs (id),
  event_key TEXT NOT NULL,
  new_version INTEGER NOT NULL,
  previous TEXT,
  PRIMARY KEY (import_id, event_key)
);
-- A console import may bring its CSV column mapping (the TOML the CLI takes with --mapping).
ALTER TABLE staged_imports ADD COLUMN mapping TEXT NOT NULL DEFAULT '';
