-- Personal agendas (issue 20): the events a visitor starred, synced across
-- their devices with a private link. Only the SHA-256 of the link's token is
-- kept, with event keys and times: no personal data. Instants are UTC seconds.
CREATE TABLE agendas (
  token_hash TEXT PRIMARY KEY,
  event_keys TEXT NOT NULL DEFAULT '',   -- the keys, one per line, in the visitor's order
  revision INTEGER NOT NULL DEFAULT 0,   -- +1 on each change: the ETag, for If-Match between devices
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX agendas_by_update ON agendas (updated_at);
