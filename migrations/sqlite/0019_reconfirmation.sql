-- Reconfirmation (issue 21, no-show management): per event, confirmed
-- attendees are asked "Still coming?" a set number of hours before the start,
-- and optionally those who did not answer by a deadline lose their place to
-- the waiting list. Hours before the start; NULL = off. Instants are UTC seconds.
ALTER TABLE event_operations ADD COLUMN reconfirm_hours INTEGER CHECK (reconfirm_hours IS NULL OR reconfirm_hours BETWEEN 1 AND 336);
ALTER TABLE event_operations ADD COLUMN reconfirm_release_hours INTEGER
  CHECK (reconfirm_release_hours IS NULL OR reconfirm_release_hours BETWEEN 1 AND 335);
-- When the question was sent (the row is written with it, once per registration),
-- and when the attendee answered yes. Only those asked can be released.
ALTER TABLE registrations ADD COLUMN reconfirm_asked_at INTEGER;
ALTER TABLE registrations ADD COLUMN reconfirmed_at INTEGER;
-- The deadline this person was told when asked (NULL: their place is not released for want of an
-- answer): the event's release time, but never less than kMinReconfirmWindow after the question.
ALTER TABLE registrations ADD COLUMN reconfirm_deadline INTEGER;
