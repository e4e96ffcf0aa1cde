-- Door users assigned to check-in lists (issue 19). A door user with at
-- least one row here may scan only at those lists; one with none may choose
-- among every list. Owners and operations staff may use every list.
CREATE TABLE checkin_list_users (
  list_id BIGINT NOT NULL REFERENCES checkin_lists (id) ON DELETE CASCADE,
  user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  PRIMARY KEY (list_id, user_id)
);
CREATE INDEX checkin_list_users_by_user ON checkin_list_users (user_id);
-- The console's flagged duplicates of a list, newest first.
CREATE INDEX checkin_scans_flagged ON checkin_scans (list_id, flagged, id);
