-- Rectification ledger (问题整改台账), SQLite dialect. Keep in step with ../postgres/V2__ledger.sql.

-- Days that override the shipped State Council calendar (jianping calendar import).
CREATE TABLE calendar_days (
    day         TEXT PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('休', '班')),
    name        TEXT NOT NULL,
    imported_at TEXT NOT NULL
);

-- The bureau's ledger settings (deadlines per source …) as JSON, key 'ledger'.
CREATE TABLE ledger_settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- Item numbers ZG<year>-<n>, counted per year of the problem.
CREATE TABLE ledger_sequence (
    year BIGINT PRIMARY KEY,
    last BIGINT NOT NULL
);

ALTER TABLE ledger_items ADD COLUMN created_at TEXT;
ALTER TABLE ledger_items ADD COLUMN rectified_at TEXT;
-- How a closed item ended: 'rectified' (整改办结) or 'appeal_upheld' (申诉成立).
ALTER TABLE ledger_items ADD COLUMN resolution TEXT;
-- The rectification deadline in working days, kept so a reopened item gets a fresh one.
ALTER TABLE ledger_items ADD COLUMN limit_days BIGINT;
CREATE INDEX ledger_items_department ON ledger_items (department_id);
CREATE INDEX ledger_items_raised_at ON ledger_items (raised_at);

ALTER TABLE ledger_events ADD COLUMN role TEXT;
-- `at` is when the step happened (it may be recorded afterwards, with --at); recorded_at is
-- when the row was written.
ALTER TABLE ledger_events ADD COLUMN recorded_at TEXT;

CREATE INDEX callbacks_item ON callbacks (item_id);

-- 延期申请: asked by the department, decided by the bureau.
CREATE TABLE ledger_extensions (
    id             INTEGER PRIMARY KEY,
    item_id        INTEGER NOT NULL REFERENCES ledger_items(id),
    requested_at   TEXT NOT NULL,
    requested_by   TEXT NOT NULL,
    days           BIGINT NOT NULL,
    reason         TEXT NOT NULL,
    state          TEXT NOT NULL,
    decided_at     TEXT,
    decided_by     TEXT,
    decision_note  TEXT,
    old_due_on     TEXT,
    new_due_on     TEXT
);
CREATE INDEX ledger_extensions_item ON ledger_extensions (item_id);
