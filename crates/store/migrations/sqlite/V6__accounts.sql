-- Accounts, sessions, the audit log and attachments (the web platform), SQLite dialect.
-- Keep in step with ../postgres/V6__accounts.sql.

-- People who log in. role: admin | clerk | supervisor | leader | auditor (jianping_core::access).
CREATE TABLE users (
    id                  INTEGER PRIMARY KEY,
    username            TEXT NOT NULL UNIQUE,
    display_name        TEXT NOT NULL,
    role                TEXT NOT NULL,
    department_id       INTEGER REFERENCES departments(id),
    supervisor_id       INTEGER REFERENCES supervisors(id),
    -- argon2id PHC string; never the password.
    password_hash       TEXT NOT NULL,
    active              INTEGER NOT NULL DEFAULT 1,
    failed_logins       INTEGER NOT NULL DEFAULT 0,
    locked_until        TEXT,
    password_changed_at TEXT,
    created_at          TEXT NOT NULL,
    last_login_at       TEXT
);

-- A login. The cookie carries a random value; only its SHA-256 is stored, so a copy of the
-- database does not let anyone log in.
CREATE TABLE sessions (
    id_hash      TEXT PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users(id),
    csrf         TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    expires_at   TEXT NOT NULL,
    address      TEXT
);
CREATE INDEX sessions_user ON sessions (user_id);

-- Every write through the web platform, with who did it. Unmasked views of personal data
-- stay in access_log.
CREATE TABLE audit_log (
    id       INTEGER PRIMARY KEY,
    at       TEXT NOT NULL,
    user_id  INTEGER,
    username TEXT NOT NULL,
    role     TEXT NOT NULL,
    action   TEXT NOT NULL,
    target   TEXT,
    detail   TEXT,
    address  TEXT
);
CREATE INDEX audit_log_at ON audit_log (at);

-- Files attached to a record (a complaint's photo, a rectification's evidence), kept in the
-- database so that they share its transactions and its backups.
CREATE TABLE attachments (
    id           INTEGER PRIMARY KEY,
    owner_kind   TEXT NOT NULL,
    owner_id     INTEGER NOT NULL,
    file_name    TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         BIGINT NOT NULL,
    sha256       TEXT NOT NULL,
    data_base64  TEXT NOT NULL,
    uploaded_at  TEXT NOT NULL,
    uploaded_by  TEXT NOT NULL
);
CREATE INDEX attachments_owner ON attachments (owner_kind, owner_id);
