-- Senior-title review, fifth part (issue 6): the result's public notice and what follows it.
-- Anyone may object on the public page (the actor 'public'); the human-resources authority
-- (the role 'hrss') confirms results and issues certificates that anyone can look up.
-- SQLite cannot change a CHECK in place: the two tables are rebuilt, their rows kept.

CREATE TABLE application_events_new (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    application_id INTEGER NOT NULL REFERENCES applications(id),
    event          TEXT    NOT NULL,
    from_state     TEXT    NOT NULL,
    to_state       TEXT    NOT NULL,
    actor          TEXT    NOT NULL CHECK (actor IN ('candidate', 'unit', 'secretariat', 'chair', 'clock', 'authority', 'public')),
    reason         TEXT    NOT NULL DEFAULT '',
    at             TEXT    NOT NULL
);
INSERT INTO application_events_new SELECT id, application_id, event, from_state, to_state, actor, reason, at
    FROM application_events;
DROP TABLE application_events;
ALTER TABLE application_events_new RENAME TO application_events;
CREATE INDEX application_events_application ON application_events (application_id, id);

CREATE TABLE role_grants_new (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id      INTEGER NOT NULL REFERENCES users(id),
    role         TEXT    NOT NULL CHECK (role IN ('trainee', 'instructor', 'base_admin',
                   'unit_reviewer', 'secretary', 'reviewer', 'chair', 'program_authority',
                   'hrss', 'auditor', 'sys_admin')),
    base_id      INTEGER REFERENCES training_bases(id),
    unit_id      INTEGER REFERENCES units(id),
    committee_id INTEGER REFERENCES committees(id),
    scope_key    TEXT    NOT NULL,
    granted_at   TEXT    NOT NULL,
    UNIQUE (user_id, role, scope_key),
    CHECK ((base_id IS NOT NULL) + (unit_id IS NOT NULL) + (committee_id IS NOT NULL) <= 1)
);
INSERT INTO role_grants_new SELECT id, user_id, role, base_id, unit_id, committee_id, scope_key, granted_at
    FROM role_grants;
DROP TABLE role_grants;
ALTER TABLE role_grants_new RENAME TO role_grants;

-- An objection to a published result. `source` is a SHA-256 of the sender's address, kept
-- only to limit how many objections one address files per hour. The contact details are
-- personal data: lists show them masked, and each unmasking is audited.
CREATE TABLE objections (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    application_id INTEGER NOT NULL REFERENCES applications(id),
    name           TEXT    NOT NULL,
    contact        TEXT    NOT NULL,
    body           TEXT    NOT NULL,
    source         TEXT    NOT NULL,
    filed_at       TEXT    NOT NULL,
    -- upheld, dismissed, or superseded (another objection was upheld first)
    outcome        TEXT    CHECK (outcome IN ('upheld', 'dismissed', 'superseded')),
    reason         TEXT,
    resolved_by    INTEGER REFERENCES users(id),
    resolved_at    TEXT,
    CHECK ((outcome IS NULL) = (resolved_at IS NULL))
);
CREATE INDEX objections_application ON objections (application_id, id);
CREATE INDEX objections_source ON objections (source, filed_at);

-- A certificate issued on confirmation: its number is unique and public.
CREATE TABLE certificates (
    application_id INTEGER PRIMARY KEY REFERENCES applications(id),
    number         TEXT    NOT NULL UNIQUE,
    issued_on      TEXT    NOT NULL,
    issued_by      INTEGER NOT NULL REFERENCES users(id),
    issued_at      TEXT    NOT NULL
);
