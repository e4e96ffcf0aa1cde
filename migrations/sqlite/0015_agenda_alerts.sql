-- E-mail alerts for a personal agenda (issue 20): a visitor may add an
-- address to an agenda to hear when a starred event moves, changes room or is
-- cancelled. Double opt-in (pending until the link in the confirmation
-- message is used), a one-click unsubscribe in every alert (RFC 8058). The
-- address is personal data: NULL once the alert ends (unsubscribed, replaced,
-- not confirmed in time, erased, past retention). Tokens are kept as SHA-256
-- (hex) for lookup and sealed (TokenSecret::seal) for the links in messages.
-- Instants are UTC seconds.
CREATE TABLE agenda_alerts (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  agenda_hash TEXT NOT NULL REFERENCES agendas (token_hash) ON DELETE CASCADE,
  email TEXT,
  state TEXT NOT NULL CHECK (state IN ('pending', 'confirmed', 'ended')),
  ended_reason TEXT NOT NULL DEFAULT '',
  confirm_hash TEXT NOT NULL UNIQUE,
  confirm_sealed TEXT NOT NULL,
  unsubscribe_hash TEXT NOT NULL UNIQUE,
  unsubscribe_sealed TEXT NOT NULL,
  agenda_sealed TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  confirmed_at INTEGER,
  ended_at INTEGER,
  updated_at INTEGER NOT NULL
);
-- At most one live (pending or confirmed) alert per agenda.
CREATE UNIQUE INDEX agenda_alerts_live ON agenda_alerts (agenda_hash) WHERE state IN ('pending', 'confirmed');
CREATE INDEX agenda_alerts_by_email ON agenda_alerts (email);
CREATE INDEX agenda_alerts_by_state ON agenda_alerts (state, created_at);
-- Confirmation requests per address, for the limit per address and day: a
-- keyed hash (HMAC-SHA-256 under the installation secret) of the address, so
-- the count survives the alert ending (and its address being forgotten);
-- rows older than two days are deleted by retention, and with the address on
-- erasure.
CREATE TABLE alert_requests (
  address_hash TEXT NOT NULL,
  at INTEGER NOT NULL
);
CREATE INDEX alert_requests_by_address ON alert_requests (address_hash, at);
-- Outbox rows of an alert (kinds alert_confirm and agenda_alert): the sender
-- joins agenda_alerts for the address at delivery time, as it joins
-- registrations for attendee messages.
ALTER TABLE outbox ADD COLUMN alert_id INTEGER;
CREATE INDEX outbox_by_alert ON outbox (alert_id, kind, state);
