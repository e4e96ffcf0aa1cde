-- Messages to a chosen set of attendees (issue 21) and opting out of
-- non-essential messages (RFC 8058 one-click unsubscribe). Instants are UTC seconds.
--
-- One row per message. The audience (core/attendee_message.hpp) is kept as
-- typed: event keys one per line, states "confirmed, checked_in", answer
-- conditions one "question=value" per line. When it is sent, one outbox row
-- per recipient (kind 'attendee_message', message_id set) is written in the
-- same transaction that marks it sent.
CREATE TABLE attendee_messages (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  subject TEXT NOT NULL,
  body TEXT NOT NULL,
  event_keys TEXT NOT NULL,
  states TEXT NOT NULL,
  answers TEXT NOT NULL DEFAULT '',
  state TEXT NOT NULL CHECK (state IN ('scheduled', 'sent', 'cancelled')),
  send_at INTEGER NOT NULL,
  recipients INTEGER,
  -- The console form's nonce or the API's Idempotency-Key: a second create with it returns the first.
  idempotency_key TEXT UNIQUE,
  created_by TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  sent_at INTEGER
);
CREATE INDEX attendee_messages_due ON attendee_messages (state, send_at);
ALTER TABLE outbox ADD COLUMN message_id INTEGER;
-- Set when the attendee opted out of non-essential messages (reminders and
-- operators' messages); NULL = receives them.
ALTER TABLE registrations ADD COLUMN messages_opted_out_at INTEGER;
