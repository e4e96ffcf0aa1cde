-- Engagement analytics (issue 16). No client address or user agent anywhere:
-- a visitor is a keyed hash (core/visitor_id) under the salt of its day.
-- Days are local dates in the analytics time zone; hours are the instant a
-- local hour starts (UTC seconds). None of these tables is in a backup.
CREATE TABLE analytics_salts (
  day TEXT PRIMARY KEY,
  salt TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE TABLE analytics_counts (
  hour INTEGER NOT NULL,
  day TEXT NOT NULL,
  kind TEXT NOT NULL,
  event_key TEXT NOT NULL,
  slot TEXT NOT NULL,
  detail TEXT NOT NULL,
  count INTEGER NOT NULL,
  PRIMARY KEY (hour, day, kind, event_key, slot, detail)
);
CREATE INDEX analytics_counts_day ON analytics_counts (day);
CREATE TABLE analytics_searches (
  hour INTEGER NOT NULL,
  day TEXT NOT NULL,
  term TEXT NOT NULL,
  filters TEXT NOT NULL,
  searches INTEGER NOT NULL,
  zero_results INTEGER NOT NULL,
  results INTEGER NOT NULL,
  PRIMARY KEY (hour, day, term, filters)
);
CREATE INDEX analytics_searches_day ON analytics_searches (day);
-- Per-day visitor ids, deleted (after being counted into analytics_uniques)
-- with their day's salt once the day is older than yesterday.
CREATE TABLE analytics_visitors (
  day TEXT NOT NULL,
  subject TEXT NOT NULL,
  visitor TEXT NOT NULL,
  flags INTEGER NOT NULL,
  PRIMARY KEY (day, subject, visitor)
);
CREATE TABLE analytics_uniques (
  day TEXT NOT NULL,
  subject TEXT NOT NULL,
  visitors INTEGER NOT NULL,
  converted INTEGER NOT NULL,
  PRIMARY KEY (day, subject)
);
