-- Waiting-list offers and ticket transfers (issue 21). Per event, a freed place is either given
-- to the next person waiting at once (promotion 'automatic', as before) or
-- offered to them (promotion 'offer'): the place is held for them until they
-- accept, decline or the offer expires. Instants are UTC seconds.
--
-- Operations settings of one event: not programme data (neither imported nor
-- published); an event without a row uses the defaults.
CREATE TABLE event_operations (
  event_key TEXT PRIMARY KEY REFERENCES events (key) ON DELETE CASCADE,
  promotion TEXT NOT NULL DEFAULT 'automatic' CHECK (promotion IN ('automatic', 'offer')),
  offer_hours INTEGER NOT NULL DEFAULT 12 CHECK (offer_hours BETWEEN 1 AND 168),
  -- Attendees may pass their place to another person (self-service transfer).
  transfers INTEGER NOT NULL DEFAULT 0 CHECK (transfers IN (0, 1)),
  -- Reminders before this event's start (core/reminders.hpp text, e.g. "24h, 2h"; '' = none);
  -- NULL = the installation's setting.
  reminder_offsets TEXT,
  updated_at INTEGER NOT NULL
);
-- Places held by open offers. The CHECK extends the counter's guarantee:
-- confirmed and held places together never pass the capacity.
ALTER TABLE event_counters ADD COLUMN offered INTEGER NOT NULL DEFAULT 0
  CHECK (offered >= 0 AND (capacity IS NULL OR confirmed + offered <= capacity));
-- One row per offer. The registration stays 'waitlisted' while its offer is
-- open; accepting confirms it, declining or expiry cancels it, a withdrawal
-- (the capacity lowered) leaves it on the waiting list.
CREATE TABLE place_offers (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  event_key TEXT NOT NULL,
  registration_id INTEGER NOT NULL REFERENCES registrations (id),
  state TEXT NOT NULL CHECK (state IN ('open', 'accepted', 'declined', 'expired', 'withdrawn')),
  offered_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  answered_at INTEGER,
  actor TEXT NOT NULL
);
-- At most one open offer per registration.
CREATE UNIQUE INDEX place_offers_open ON place_offers (registration_id) WHERE state = 'open';
CREATE INDEX place_offers_by_event ON place_offers (event_key, state, id);
CREATE INDEX place_offers_due ON place_offers (state, expires_at);
-- Outbox rows about an offer (place_offered, offer_expired, offer_withdrawn):
-- the sender reads the offer's expiry and state at delivery time.
ALTER TABLE outbox ADD COLUMN offer_id INTEGER;
-- Ticket transfers (self-service): who passed the place on, so that the
-- message telling them reaches their address after the registration has
-- taken the new holder's. Personal data: emptied when the registration is
-- erased (by hand or by retention).
CREATE TABLE registration_transfers (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  registration_id INTEGER NOT NULL REFERENCES registrations (id),
  from_name TEXT NOT NULL DEFAULT '',
  from_email TEXT,
  from_ticket_code TEXT NOT NULL,
  at INTEGER NOT NULL
);
CREATE INDEX registration_transfers_by_registration ON registration_transfers (registration_id);
-- Outbox rows about a transfer (transfer_sent, transfer_received).
ALTER TABLE outbox ADD COLUMN transfer_id INTEGER;
