-- Outgoing webhooks (issue 21): endpoints an operator registers, and one
-- delivery row per endpoint and event, written in the same transaction as
-- the change it reports (a registration, a check-in, a publish), delivered
-- with retries by the webhook sender. Payloads carry no personal data.
-- Instants are UTC seconds.
CREATE TABLE webhook_endpoints (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  url TEXT NOT NULL,
  -- Event types, comma-separated (core/webhook.hpp), e.g. "registration.created,event.published".
  events TEXT NOT NULL,
  -- The signing secret ("whsec_…"), sealed with the installation secret: it is
  -- needed to sign, so it cannot be stored as a hash; shown once at creation.
  secret_sealed TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  created_by TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  disabled_at INTEGER
);
CREATE TABLE webhook_deliveries (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  -- No foreign key: registrations would lock the endpoint row (FOR KEY SHARE) on the hot
  -- path, and a delete racing a registration would fail it. Deleting an endpoint deletes its
  -- deliveries; a row written for an endpoint deleted at that moment is never claimed (the claim
  -- joins the endpoint) and goes with the retention purge.
  endpoint_id INTEGER NOT NULL,
  -- "evt_…": the same for every endpoint told of one change; receivers de-duplicate on it.
  event_id TEXT NOT NULL,
  event_type TEXT NOT NULL,
  -- The JSON body, fixed when written (retries and replays send the same bytes, newly signed).
  payload TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'failed')),
  created_at INTEGER NOT NULL,
  due_at INTEGER NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  claimed_by TEXT,
  claimed_until INTEGER,
  -- The last attempt: the HTTP status (NULL: no answer) and the error in words.
  last_status INTEGER,
  last_error TEXT NOT NULL DEFAULT '',
  delivered_at INTEGER,
  updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX webhook_deliveries_once ON webhook_deliveries (endpoint_id, event_id);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (state, due_at);
CREATE INDEX webhook_deliveries_by_endpoint ON webhook_deliveries (endpoint_id, id);
CREATE INDEX webhook_deliveries_last_attempt ON webhook_deliveries (endpoint_id, updated_at);
