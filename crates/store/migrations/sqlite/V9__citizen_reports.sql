-- Complaints citizens file on the window QR pages (码上监督 from /q/{token}), SQLite dialect.
-- Keep in step with ../postgres/V9__citizen_reports.sql. The complaint itself is a
-- qr_reports row, so reports, the ledger and the indicators count it like an imported one.

-- What the web adds to its qr_reports row: the receipt the reporter follows it with (only
-- the receipt's SHA-256 is kept: a copy of the database does not let anyone add to a
-- complaint), the category they chose, and where it was sent from.
CREATE TABLE citizen_reports (
    report_id    INTEGER PRIMARY KEY REFERENCES qr_reports(id),
    receipt_hash TEXT NOT NULL UNIQUE,
    category     TEXT NOT NULL,
    anonymous    INTEGER NOT NULL DEFAULT 0,
    address      TEXT,
    created_at   TEXT NOT NULL
);

-- 补充说明: what the reporter added afterwards, oldest first.
CREATE TABLE citizen_report_additions (
    id        INTEGER PRIMARY KEY,
    report_id INTEGER NOT NULL REFERENCES qr_reports(id),
    added_at  TEXT NOT NULL,
    content   TEXT NOT NULL,
    address   TEXT
);
CREATE INDEX citizen_report_additions_report ON citizen_report_additions (report_id);
