-- Topics (jianping-topics), SQLite dialect. Keep in step with ../postgres/V7__topics.sql.
-- V5 and V6 are reserved for other work; refinery applies V7 after V4 on a fresh database.

-- The category the classifier suggested when the item was registered, and the clerk's
-- category beside it (NULL until a clerk reviews the item). The list filters on
-- COALESCE(topic_confirmed, topic_suggested).
ALTER TABLE ledger_items ADD COLUMN topic_suggested TEXT;
ALTER TABLE ledger_items ADD COLUMN topic_confirmed TEXT;
ALTER TABLE ledger_items ADD COLUMN topic_confirmed_by TEXT;
ALTER TABLE ledger_items ADD COLUMN topic_confirmed_at TEXT;
CREATE INDEX ledger_items_topic ON ledger_items (topic_suggested);

-- Every review, for the audit trail and the agreement rate.
CREATE TABLE topic_reviews (
    id        INTEGER PRIMARY KEY,
    item_id   INTEGER NOT NULL REFERENCES ledger_items(id),
    at        TEXT NOT NULL,
    actor     TEXT NOT NULL,
    suggested TEXT,
    previous  TEXT,
    topic     TEXT NOT NULL
);
CREATE INDEX topic_reviews_item ON topic_reviews (item_id);

-- The bureau's category dictionary (TOML); the latest row is in force, none = the shipped one.
CREATE TABLE topic_dictionaries (
    id       INTEGER PRIMARY KEY,
    saved_at TEXT NOT NULL,
    saved_by TEXT NOT NULL,
    source   TEXT NOT NULL
);
