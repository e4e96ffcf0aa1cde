-- Published snapshots of the public programme, their changelog and the live pointer.
-- payload: JSON Lines of the public events (docs/snapshot-format.md); content_hash: its SHA-256.
CREATE TABLE snapshots (
  number BIGINT PRIMARY KEY,
  created_at BIGINT NOT NULL,
  author TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  kind TEXT NOT NULL CHECK (kind IN ('publish', 'rollback')),
  based_on BIGINT,
  content_hash TEXT NOT NULL,
  event_count BIGINT NOT NULL,
  payload TEXT NOT NULL
);
CREATE TABLE snapshot_changes (
  snapshot_number BIGINT NOT NULL REFERENCES snapshots (number),
  position BIGINT NOT NULL,
  event_key TEXT NOT NULL,
  change TEXT NOT NULL CHECK (change IN ('added', 'removed', 'changed')),
  fields TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (snapshot_number, position)
);
CREATE TABLE live_snapshot (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  number BIGINT NOT NULL REFERENCES snapshots (number),
  changed_at BIGINT NOT NULL
);
