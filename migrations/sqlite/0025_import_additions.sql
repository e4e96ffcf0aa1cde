-- The events an import added (issue 22): lists of keys, up to 5,000 a row
-- and separated by newlines, instead of an import_changes row each. An import
-- of 100,000 new events wrote 100,000 import_changes rows and as many entries
-- in their key's index, inside the import's transaction. import_changes keeps
-- the events an import changed (with what they were), and the additions of
-- imports made before this migration; revert_import reads both.
CREATE TABLE import_additions (
  import_id INTEGER NOT NULL,
  part INTEGER NOT NULL,
  event_keys TEXT NOT NULL,
  PRIMARY KEY (import_id, part)
);
