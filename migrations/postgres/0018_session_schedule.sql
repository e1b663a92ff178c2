-- A review session's schedule changes (issue 21): a session takes applications only in its
-- window, is scored only in its scoring period and meets not before its date. Moving a date
-- is the secretariat's explicit change, with a reason, kept here (and in the audit log) and
-- shown on the session's page to its chair.
CREATE TABLE session_schedule_changes (
    id          BIGSERIAL   PRIMARY KEY,
    session_id  BIGINT      NOT NULL REFERENCES review_sessions(id),
    -- JSON: the five dates before and after, {"applies_from": "2026-11-01", ...}
    before      TEXT        NOT NULL,
    after       TEXT        NOT NULL,
    reason      TEXT        NOT NULL CHECK (length(trim(reason)) > 0),
    changed_by  BIGINT      REFERENCES users(id),
    changed_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX session_schedule_changes_session ON session_schedule_changes (session_id, id);
