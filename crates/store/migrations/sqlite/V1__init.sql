-- jianping schema, SQLite dialect. Keep in step with ../postgres/V1__init.sql.
-- Times are local wall-clock text 'YYYY-MM-DD HH:MM:SS'; dates 'YYYY-MM-DD'.
-- Enumerations are stored as the integer codes defined in jianping-core.

CREATE TABLE regions (
    id          INTEGER PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    level       INTEGER NOT NULL,
    parent_code TEXT
);

CREATE TABLE departments (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    code       TEXT UNIQUE,
    region_id  INTEGER REFERENCES regions(id),
    sector     TEXT,
    short_name TEXT
);

CREATE TABLE halls (
    id             INTEGER PRIMARY KEY,
    name           TEXT NOT NULL UNIQUE,
    code           TEXT UNIQUE,
    region_id      INTEGER NOT NULL REFERENCES regions(id),
    kind           TEXT,
    extended_hours INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE windows (
    id             INTEGER PRIMARY KEY,
    region_id      INTEGER NOT NULL REFERENCES regions(id),
    name           TEXT NOT NULL,
    code           TEXT UNIQUE,
    hall_id        INTEGER REFERENCES halls(id),
    department_id  INTEGER REFERENCES departments(id),
    kind           TEXT,
    extended_hours INTEGER NOT NULL DEFAULT 0,
    UNIQUE (region_id, name)
);

CREATE TABLE staff (
    id            INTEGER PRIMARY KEY,
    department_id INTEGER NOT NULL REFERENCES departments(id),
    name          TEXT NOT NULL,
    code          TEXT UNIQUE,
    hall_id       INTEGER REFERENCES halls(id),
    window_id     INTEGER REFERENCES windows(id),
    active        INTEGER NOT NULL DEFAULT 1,
    UNIQUE (department_id, name)
);

CREATE TABLE packages (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE,
    department_id INTEGER REFERENCES departments(id)
);

CREATE TABLE matters (
    id            INTEGER PRIMARY KEY,
    code          TEXT NOT NULL UNIQUE,
    base_code     TEXT NOT NULL,
    name          TEXT NOT NULL,
    department_id INTEGER NOT NULL REFERENCES departments(id),
    region_id     INTEGER NOT NULL REFERENCES regions(id),
    hall_id       INTEGER REFERENCES halls(id)
);
CREATE INDEX matters_base_code ON matters (base_code);

-- The catalog as it stood from as_of on; the state at date D is the latest row with as_of <= D.
CREATE TABLE matter_states (
    matter_id           INTEGER NOT NULL REFERENCES matters(id),
    as_of               TEXT NOT NULL,
    legal_limit_days    INTEGER,
    promised_limit_days INTEGER,
    online_full         INTEGER NOT NULL,
    instant             INTEGER NOT NULL,
    scenario            INTEGER NOT NULL,
    e_license           INTEGER NOT NULL,
    cert_free           INTEGER NOT NULL,
    extended_hours      INTEGER NOT NULL,
    PRIMARY KEY (matter_id, as_of)
);

CREATE TABLE imports (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL,
    file_name   TEXT NOT NULL,
    sha256      TEXT NOT NULL,
    started_at  TEXT NOT NULL,
    finished_at TEXT,
    rows_read   INTEGER NOT NULL DEFAULT 0,
    inserted    INTEGER NOT NULL DEFAULT 0,
    updated     INTEGER NOT NULL DEFAULT 0,
    unchanged   INTEGER NOT NULL DEFAULT 0,
    rejected    INTEGER NOT NULL DEFAULT 0,
    created     TEXT
);

CREATE TABLE cases (
    id            INTEGER PRIMARY KEY,
    case_no       TEXT NOT NULL UNIQUE,
    matter_id     INTEGER REFERENCES matters(id),
    department_id INTEGER NOT NULL REFERENCES departments(id),
    region_id     INTEGER NOT NULL REFERENCES regions(id),
    window_id     INTEGER REFERENCES windows(id),
    package_id    INTEGER REFERENCES packages(id),
    accepted_at   TEXT NOT NULL,
    completed_at  TEXT,
    assisted      INTEGER NOT NULL DEFAULT 0,
    extended      INTEGER NOT NULL DEFAULT 0,
    import_id     INTEGER
);
CREATE INDEX cases_accepted_at ON cases (accepted_at);

-- Facts: a rating is never edited. An upheld appeal excludes it from statistics (appeals).
CREATE TABLE ratings (
    id            INTEGER PRIMARY KEY,
    rating_no     TEXT NOT NULL UNIQUE,
    case_no       TEXT,
    matter_id     INTEGER REFERENCES matters(id),
    department_id INTEGER NOT NULL REFERENCES departments(id),
    window_id     INTEGER REFERENCES windows(id),
    staff_id      INTEGER REFERENCES staff(id),
    region_id     INTEGER NOT NULL REFERENCES regions(id),
    channel       INTEGER NOT NULL,
    grade         INTEGER NOT NULL,
    rated_at      TEXT NOT NULL,
    attempt       INTEGER NOT NULL DEFAULT 1,
    tags          TEXT,
    comment       TEXT,
    rater_name    TEXT,
    rater_phone   TEXT,
    import_id     INTEGER
);
CREATE INDEX ratings_bad ON ratings (rated_at) WHERE grade >= 4;

-- Rollups of counted ratings, kept in the rating's own transaction. window_id 0 = no window.
CREATE TABLE rating_daily (
    day           TEXT NOT NULL,
    region_id     INTEGER NOT NULL,
    department_id INTEGER NOT NULL,
    window_id     INTEGER NOT NULL,
    channel       INTEGER NOT NULL,
    grade         INTEGER NOT NULL,
    n             INTEGER NOT NULL,
    PRIMARY KEY (day, region_id, department_id, window_id, channel, grade)
) WITHOUT ROWID;

CREATE TABLE rating_monthly (
    month         TEXT NOT NULL,
    region_id     INTEGER NOT NULL,
    department_id INTEGER NOT NULL,
    window_id     INTEGER NOT NULL,
    channel       INTEGER NOT NULL,
    grade         INTEGER NOT NULL,
    n             INTEGER NOT NULL,
    PRIMARY KEY (month, region_id, department_id, window_id, channel, grade)
) WITHOUT ROWID;

CREATE TABLE tickets (
    id             INTEGER PRIMARY KEY,
    ticket_no      TEXT NOT NULL UNIQUE,
    kind           INTEGER NOT NULL,
    source         INTEGER NOT NULL,
    mode           INTEGER NOT NULL,
    department_id  INTEGER REFERENCES departments(id),
    content        TEXT,
    received_at    TEXT NOT NULL,
    due_at         TEXT,
    closed_at      TEXT,
    resolved       INTEGER,
    revisited_at   TEXT,
    revisit_result INTEGER,
    citizen_name   TEXT,
    citizen_phone  TEXT,
    import_id      INTEGER
);
CREATE INDEX tickets_received_at ON tickets (received_at);

-- Tickets received per day; closure KPIs depend on the period's end and read the facts.
CREATE TABLE ticket_daily (
    day           TEXT NOT NULL,
    department_id INTEGER NOT NULL,
    kind          INTEGER NOT NULL,
    source        INTEGER NOT NULL,
    mode          INTEGER NOT NULL,
    n             INTEGER NOT NULL,
    PRIMARY KEY (day, department_id, kind, source, mode)
) WITHOUT ROWID;

CREATE TABLE supervisors (
    id           INTEGER PRIMARY KEY,
    code         TEXT NOT NULL UNIQUE,
    name         TEXT NOT NULL,
    category     TEXT NOT NULL,
    unit         TEXT,
    phone        TEXT,
    appointed_on TEXT NOT NULL,
    term_end     TEXT
);

CREATE TABLE supervisor_feedback (
    id            INTEGER PRIMARY KEY,
    feedback_no   TEXT NOT NULL UNIQUE,
    supervisor_id INTEGER NOT NULL REFERENCES supervisors(id),
    received_on   TEXT NOT NULL,
    category      TEXT NOT NULL,
    method        TEXT,
    content       TEXT NOT NULL,
    department_id INTEGER REFERENCES departments(id),
    region_id     INTEGER REFERENCES regions(id),
    import_id     INTEGER
);

CREATE TABLE qr_reports (
    id             INTEGER PRIMARY KEY,
    report_no      TEXT NOT NULL UNIQUE,
    received_at    TEXT NOT NULL,
    domain         TEXT NOT NULL,
    region_id      INTEGER REFERENCES regions(id),
    window_id      INTEGER REFERENCES windows(id),
    department_id  INTEGER REFERENCES departments(id),
    content        TEXT NOT NULL,
    reporter_name  TEXT,
    reporter_phone TEXT,
    closed_at      TEXT,
    handling       TEXT,
    import_id      INTEGER
);

CREATE TABLE assessment_findings (
    id            INTEGER PRIMARY KEY,
    finding_no    TEXT NOT NULL UNIQUE,
    project       TEXT NOT NULL,
    assessor      TEXT,
    method        TEXT NOT NULL,
    role          TEXT,
    assessed_on   TEXT NOT NULL,
    department_id INTEGER REFERENCES departments(id),
    region_id     INTEGER REFERENCES regions(id),
    indicator     TEXT,
    score         REAL,
    full_score    REAL,
    finding       TEXT NOT NULL,
    response      TEXT,
    import_id     INTEGER
);

-- Figures reported by other platforms (the mobile app's users, population …).
CREATE TABLE reported_stats (
    id          INTEGER PRIMARY KEY,
    key         TEXT NOT NULL,
    name        TEXT NOT NULL,
    value       REAL NOT NULL,
    unit        TEXT,
    source      TEXT NOT NULL,
    region_code TEXT NOT NULL DEFAULT '',
    period_from TEXT,
    period_to   TEXT NOT NULL,
    UNIQUE (key, region_code, period_to)
);

-- 问题整改台账: one item per problem, whatever channel raised it.
CREATE TABLE ledger_items (
    id              INTEGER PRIMARY KEY,
    item_no         TEXT NOT NULL UNIQUE,
    source_kind     TEXT NOT NULL,
    source_id       INTEGER,
    source_no       TEXT,
    department_id   INTEGER REFERENCES departments(id),
    title           TEXT NOT NULL,
    description     TEXT,
    state           TEXT NOT NULL,
    raised_at       TEXT NOT NULL,
    due_on          TEXT,
    callback_due_on TEXT,
    measures        TEXT,
    feedback        TEXT,
    closed_at       TEXT,
    UNIQUE (source_kind, source_id)
);
CREATE INDEX ledger_items_state ON ledger_items (state);

-- Every transition, for the audit trail.
CREATE TABLE ledger_events (
    id         INTEGER PRIMARY KEY,
    item_id    INTEGER NOT NULL REFERENCES ledger_items(id),
    at         TEXT NOT NULL,
    actor      TEXT NOT NULL,
    action     TEXT NOT NULL,
    from_state TEXT,
    to_state   TEXT NOT NULL,
    note       TEXT
);
CREATE INDEX ledger_events_item ON ledger_events (item_id);

CREATE TABLE callbacks (
    id       INTEGER PRIMARY KEY,
    item_id  INTEGER NOT NULL REFERENCES ledger_items(id),
    at       TEXT NOT NULL,
    actor    TEXT NOT NULL,
    response INTEGER NOT NULL,
    note     TEXT
);

-- 申诉复核 against a bad rating. An upheld appeal excludes the rating from statistics.
CREATE TABLE appeals (
    id            INTEGER PRIMARY KEY,
    rating_id     INTEGER NOT NULL REFERENCES ratings(id),
    filed_at      TEXT NOT NULL,
    filed_by      TEXT NOT NULL,
    reason        TEXT NOT NULL,
    evidence      TEXT,
    state         TEXT NOT NULL,
    decided_at    TEXT,
    decided_by    TEXT,
    decision_note TEXT
);
CREATE INDEX appeals_rating ON appeals (rating_id);

-- Who saw personal data in clear text, when, and why.
CREATE TABLE access_log (
    id     INTEGER PRIMARY KEY,
    at     TEXT NOT NULL,
    actor  TEXT NOT NULL,
    role   TEXT NOT NULL,
    what   TEXT NOT NULL,
    reason TEXT
);
