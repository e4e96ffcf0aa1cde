-- Overbooking (issue 21, no-show management), off by default: an event may
-- confirm up to capacity × (1 + overbook_percent / 100) places, rounded down.
-- event_counters.capacity holds that place limit (every capacity check reads
-- it); events.capacity stays the room's real capacity, which the door keeps
-- to (core/checkin_rules: room_full).
ALTER TABLE event_operations ADD COLUMN overbook_percent INTEGER NOT NULL DEFAULT 0
  CHECK (overbook_percent BETWEEN 0 AND 100);
-- No-show figures ask, per registration, whether it came at any list.
CREATE INDEX checkin_presence_by_registration ON checkin_presence (registration_id);
