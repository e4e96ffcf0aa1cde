-- Partner placements (issue 17): partners, their placements (an event shown
-- in a slot during a flight window), every change of a placement, the
-- partners' report links (tokens stored hashed) and the Stripe events
-- already applied (their ids, so a webhook delivered twice applies once).
-- Instants are UTC seconds; amounts are in the currency's minor unit (cents).
CREATE TABLE partners (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL,
  contact_email TEXT NOT NULL DEFAULT '',
  notes TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE TABLE placements (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  partner_id INTEGER NOT NULL REFERENCES partners (id),
  event_key TEXT NOT NULL,
  slot TEXT NOT NULL CHECK (slot IN ('featured', 'promoted', 'category_top')),
  starts_at INTEGER NOT NULL,
  ends_at INTEGER NOT NULL,
  priority INTEGER NOT NULL CHECK (priority BETWEEN 1 AND 10),
  share_of_voice INTEGER NOT NULL CHECK (share_of_voice BETWEEN 1 AND 100),
  state TEXT NOT NULL CHECK (state IN ('draft', 'awaiting_payment', 'paid', 'scheduled', 'active', 'paused', 'ended',
                                       'cancelled', 'refunded')),
  price_cents INTEGER NOT NULL DEFAULT 0,
  currency TEXT NOT NULL DEFAULT 'eur',
  checkout_session TEXT NOT NULL DEFAULT '',
  payment_intent TEXT NOT NULL DEFAULT '',
  notes TEXT NOT NULL DEFAULT '',
  version INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  CHECK (ends_at > starts_at)
);
CREATE INDEX placements_by_partner ON placements (partner_id, id);
CREATE INDEX placements_by_state ON placements (state, id);
CREATE INDEX placements_by_payment_intent ON placements (payment_intent);
-- Every change of a placement, in order; its highest id is the version of
-- all placements (the read path reloads when it moves).
CREATE TABLE placement_history (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  placement_id INTEGER NOT NULL REFERENCES placements (id),
  at INTEGER NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  from_state TEXT NOT NULL DEFAULT '',
  to_state TEXT NOT NULL DEFAULT '',
  detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX placement_history_by_placement ON placement_history (placement_id, id);
CREATE TABLE partner_tokens (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  partner_id INTEGER NOT NULL REFERENCES partners (id),
  token_hash TEXT NOT NULL UNIQUE,
  created_by TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER,
  revoked_at INTEGER
);
CREATE TABLE stripe_events (
  event_id TEXT PRIMARY KEY,
  type TEXT NOT NULL,
  placement_id INTEGER,
  received_at INTEGER NOT NULL,
  outcome TEXT NOT NULL DEFAULT ''
);
-- Per placement and day, rolled up from analytics_visitors with them (not in
-- backups, as every analytics table): visitors who clicked it, and of them
-- those who registered for, saved or followed the link of its event that day.
CREATE TABLE analytics_attribution (
  day TEXT NOT NULL,
  placement_id INTEGER NOT NULL,
  clickers INTEGER NOT NULL,
  registered INTEGER NOT NULL,
  saved INTEGER NOT NULL,
  outbound INTEGER NOT NULL,
  PRIMARY KEY (day, placement_id)
);
