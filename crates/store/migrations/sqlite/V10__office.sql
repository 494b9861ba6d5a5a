-- The back office's daily work (web platform, office), sqlite dialect. Keep in step with
-- ../postgres/V10__office.sql.

-- A supervisor entering feedback in the back office names the window concerned, chosen
-- from the list (never typed: free text would create windows).
ALTER TABLE supervisor_feedback ADD COLUMN window_id INTEGER REFERENCES windows(id);

-- The audit log searched by user (the auditor's filter).
CREATE INDEX audit_log_user ON audit_log (username, at);
