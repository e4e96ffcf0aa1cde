-- No-show management (issue 21). Overbooking, off by default: an event may
-- confirm up to capacity × (1 + overbook_percent / 100) places, rounded down.
-- event_counters.capacity holds that place limit (every capacity check reads
-- it); events.capacity stays the room's real capacity, which the door keeps
-- to (core/checkin_rules: room_full).
ALTER TABLE event_operations ADD COLUMN overbook_percent BIGINT NOT NULL DEFAULT 0
  CHECK (overbook_percent BETWEEN 0 AND 100);
-- No-show figures ask, per registration, whether it came at any list.
CREATE INDEX checkin_presence_by_registration ON checkin_presence (registration_id);
-- Release at the door: a set number of minutes after the start the places of
-- confirmed attendees who have not checked in can be released (from the door
-- page, the API or the CLI) to people waiting at the door: from then on a
-- waiting-list ticket scanned at the door takes a free place. NULL = off.
ALTER TABLE event_operations ADD COLUMN door_release_minutes BIGINT
  CHECK (door_release_minutes IS NULL OR door_release_minutes BETWEEN 5 AND 240);
-- When the registration's place was released at the door (its state is cancelled then).
ALTER TABLE registrations ADD COLUMN door_released_at BIGINT;
