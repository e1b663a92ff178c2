-- Senior-title review (issue 6, domain.md §6): the working-day calendar, review sessions,
-- applications with their frozen dossiers and the history of their procedure.

-- Exceptions to the Monday-to-Friday week: weekday holidays and weekend make-up workdays.
CREATE TABLE work_calendar (
    day        TEXT    PRIMARY KEY,
    kind       TEXT    NOT NULL CHECK (kind IN ('holiday', 'workday')),
    updated_at TEXT    NOT NULL
);

-- A committee's review session (评审批次): the application window, the scoring period and the
-- meeting. `rules` is the copy of the review rules (JSON) the session was opened with.
CREATE TABLE review_sessions (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    committee_id INTEGER NOT NULL REFERENCES committees(id),
    code         TEXT    NOT NULL UNIQUE,
    name         TEXT    NOT NULL,
    applies_from TEXT    NOT NULL,
    applies_to   TEXT    NOT NULL,
    scoring_from TEXT    NOT NULL,
    scoring_to   TEXT    NOT NULL,
    meeting_on   TEXT    NOT NULL,
    rules        TEXT    NOT NULL,
    created_at   TEXT    NOT NULL,
    CHECK (applies_to >= applies_from),
    CHECK (scoring_from >= applies_from),
    CHECK (scoring_to >= scoring_from),
    CHECK (meeting_on >= scoring_to)
);

-- One person's application to one session. `state` is the procedure's state (domain code);
-- `revision` increases with every transition, so two clerks cannot both move it.
CREATE TABLE applications (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id          INTEGER NOT NULL REFERENCES review_sessions(id),
    person_id           INTEGER NOT NULL REFERENCES people(id),
    -- The employer that approves and publicises it (the person's unit at submission).
    unit_id             INTEGER REFERENCES units(id),
    state               TEXT    NOT NULL,
    -- The candidate's case for an exception (破格), and the secretariat's recorded reason
    -- when it accepts an application that the automatic check finds ineligible.
    exception_request   TEXT    NOT NULL DEFAULT '',
    exception_reason    TEXT,
    dossier_version     INTEGER NOT NULL DEFAULT 0,
    -- The first day of the notice that is running (unit or result), and the working days it
    -- had already run before an objection suspended it.
    notice_from         TEXT,
    notice_days_before  INTEGER NOT NULL DEFAULT 0,
    supplement_due      TEXT,
    -- What the secretariat asked to supplement (once).
    supplement_request  TEXT,
    decided_on          TEXT,
    revision            INTEGER NOT NULL DEFAULT 0,
    created_at          TEXT    NOT NULL,
    updated_at          TEXT    NOT NULL,
    UNIQUE (session_id, person_id)
);
CREATE INDEX applications_state ON applications (session_id, state);
CREATE INDEX applications_unit ON applications (unit_id, state);
CREATE INDEX applications_person ON applications (person_id);

-- The dossier as frozen at submission (and at each supplement): profile, score report with its
-- ledger, records and evidence references. Immutable, like record versions.
CREATE TABLE dossiers (
    application_id INTEGER NOT NULL REFERENCES applications(id),
    version        INTEGER NOT NULL CHECK (version > 0),
    payload        TEXT    NOT NULL,
    sha256         TEXT    NOT NULL,
    frozen_at      TEXT    NOT NULL,
    PRIMARY KEY (application_id, version)
);

CREATE TRIGGER dossiers_no_update BEFORE UPDATE ON dossiers
BEGIN
    SELECT RAISE(ABORT, 'a frozen dossier never changes');
END;

CREATE TRIGGER dossiers_no_delete BEFORE DELETE ON dossiers
BEGIN
    SELECT RAISE(ABORT, 'a frozen dossier never changes');
END;

-- Every transition of an application, as the candidate sees it: who acted is a role (the
-- actor's account is in the audit log), never a reviewer's name.
CREATE TABLE application_events (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    application_id INTEGER NOT NULL REFERENCES applications(id),
    event          TEXT    NOT NULL,
    from_state     TEXT    NOT NULL,
    to_state       TEXT    NOT NULL,
    actor          TEXT    NOT NULL CHECK (actor IN ('candidate', 'unit', 'secretariat', 'chair', 'clock', 'authority')),
    reason         TEXT    NOT NULL DEFAULT '',
    at             TEXT    NOT NULL
);
CREATE INDEX application_events_application ON application_events (application_id, id);
