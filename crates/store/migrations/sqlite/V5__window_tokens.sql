-- Window QR codes and hall pads (评价器), SQLite dialect. Keep in step with
-- ../postgres/V5__window_tokens.sql.

-- The token printed in a window's QR code (URL {public_url}/q/{token}). A revoked token stays
-- so that a scan of an old card is answered "no longer valid" rather than by another window,
-- and so the audit trail shows who revoked it and why.
CREATE TABLE window_tokens (
    id            INTEGER PRIMARY KEY,
    window_id     INTEGER NOT NULL REFERENCES windows(id),
    token         TEXT NOT NULL UNIQUE,
    created_at    TEXT NOT NULL,
    revoked_at    TEXT,
    revoked_by    TEXT,
    revoke_reason TEXT
);
-- At most one active token per window; concurrent "ensure" runs cannot both add one.
CREATE UNIQUE INDEX window_tokens_active ON window_tokens (window_id) WHERE revoked_at IS NULL;

-- A pad at a window. Only the SHA-256 of its API key is kept: the key is shown once, when
-- the device is registered.
CREATE TABLE pad_devices (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL,
    window_id     INTEGER NOT NULL REFERENCES windows(id),
    key_hash      TEXT NOT NULL UNIQUE,
    created_at    TEXT NOT NULL,
    revoked_at    TEXT,
    revoked_by    TEXT,
    revoke_reason TEXT,
    last_seen_at  TEXT
);
-- Names identify active devices (jianping qr device revoke NAME).
CREATE UNIQUE INDEX pad_devices_active_name ON pad_devices (name) WHERE revoked_at IS NULL;
CREATE INDEX pad_devices_window ON pad_devices (window_id);
