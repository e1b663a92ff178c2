-- Senior-title review (issue 6, domain.md §6): the working-day calendar, review sessions,
-- applications with their frozen dossiers and the history of their procedure.

-- Exceptions to the Monday-to-Friday week: weekday holidays and weekend make-up workdays.
CREATE TABLE work_calendar (
    day        DATE        PRIMARY KEY,
    kind       TEXT        NOT NULL CHECK (kind IN ('holiday', 'workday')),
    updated_at TIMESTAMPTZ NOT NULL
);

-- A committee's review session (评审批次): the application window, the scoring period and the
-- meeting. `rules` is the copy of the review rules (JSON) the session was opened with.
CREATE TABLE review_sessions (
    id           BIGSERIAL   PRIMARY KEY,
    committee_id BIGINT      NOT NULL REFERENCES committees(id),
    code         TEXT        NOT NULL UNIQUE,
    name         TEXT        NOT NULL,
    applies_from DATE        NOT NULL,
    applies_to   DATE        NOT NULL,
    scoring_from DATE        NOT NULL,
    scoring_to   DATE        NOT NULL,
    meeting_on   DATE        NOT NULL,
    rules        TEXT        NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    CHECK (applies_to >= applies_from),
    CHECK (scoring_from >= applies_from),
    CHECK (scoring_to >= scoring_from),
    CHECK (meeting_on >= scoring_to)
);

-- One person's application to one session. `state` is the procedure's state (domain code);
-- `revision` increases with every transition, so two clerks cannot both move it.
CREATE TABLE applications (
    id                  BIGSERIAL   PRIMARY KEY,
    session_id          BIGINT      NOT NULL REFERENCES review_sessions(id),
    person_id           BIGINT      NOT NULL REFERENCES people(id),
    -- The employer that approves and publicises it (the person's unit at submission).
    unit_id             BIGINT      REFERENCES units(id),
    state               TEXT        NOT NULL,
    -- The candidate's case for an exception (破格), and the secretariat's recorded reason
    -- when it accepts an application that the automatic check finds ineligible.
    exception_request   TEXT        NOT NULL DEFAULT '',
    exception_reason    TEXT,
    dossier_version     INTEGER     NOT NULL DEFAULT 0,
    -- The first day of the notice that is running (unit or result), and the working days it
    -- had already run before an objection suspended it.
    notice_from         DATE,
    notice_days_before  INTEGER     NOT NULL DEFAULT 0,
    supplement_due      DATE,
    -- What the secretariat asked to supplement (once).
    supplement_request  TEXT,
    decided_on          DATE,
    revision            INTEGER     NOT NULL DEFAULT 0,
    created_at          TIMESTAMPTZ NOT NULL,
    updated_at          TIMESTAMPTZ NOT NULL,
    UNIQUE (session_id, person_id)
);
CREATE INDEX applications_state ON applications (session_id, state);
CREATE INDEX applications_unit ON applications (unit_id, state);
CREATE INDEX applications_person ON applications (person_id);

-- The dossier as frozen at submission (and at each supplement): profile, score report with its
-- ledger, records and evidence references. Immutable, like record versions.
CREATE TABLE dossiers (
    application_id BIGINT      NOT NULL REFERENCES applications(id),
    version        INTEGER     NOT NULL CHECK (version > 0),
    payload        TEXT        NOT NULL,
    sha256         TEXT        NOT NULL,
    frozen_at      TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (application_id, version)
);

CREATE FUNCTION dossiers_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'a frozen dossier never changes';
END;
$$;
CREATE TRIGGER dossiers_frozen BEFORE UPDATE OR DELETE ON dossiers
    FOR EACH ROW EXECUTE FUNCTION dossiers_frozen();
CREATE TRIGGER dossiers_no_truncate BEFORE TRUNCATE ON dossiers
    FOR EACH STATEMENT EXECUTE FUNCTION dossiers_frozen();

-- Every transition of an application, as the candidate sees it: who acted is a role (the
-- actor's account is in the audit log), never a reviewer's name.
CREATE TABLE application_events (
    id             BIGSERIAL   PRIMARY KEY,
    application_id BIGINT      NOT NULL REFERENCES applications(id),
    event          TEXT        NOT NULL,
    from_state     TEXT        NOT NULL,
    to_state       TEXT        NOT NULL,
    actor          TEXT        NOT NULL CHECK (actor IN ('candidate', 'unit', 'secretariat', 'chair', 'clock', 'authority')),
    reason         TEXT        NOT NULL DEFAULT '',
    at             TIMESTAMPTZ NOT NULL
);
CREATE INDEX application_events_application ON application_events (application_id, id);
