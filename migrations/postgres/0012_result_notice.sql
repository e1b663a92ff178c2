-- Senior-title review, fifth part (issue 6): the result's public notice and what follows it.
-- Anyone may object on the public page (the actor 'public'); the human-resources authority
-- (the role 'hrss') confirms results and issues certificates that anyone can look up.

ALTER TABLE application_events DROP CONSTRAINT application_events_actor_check;
ALTER TABLE application_events ADD CONSTRAINT application_events_actor_check
    CHECK (actor IN ('candidate', 'unit', 'secretariat', 'chair', 'clock', 'authority', 'public'));

ALTER TABLE role_grants DROP CONSTRAINT role_grants_role_check;
ALTER TABLE role_grants ADD CONSTRAINT role_grants_role_check
    CHECK (role IN ('trainee', 'instructor', 'base_admin', 'unit_reviewer', 'secretary',
                    'reviewer', 'chair', 'program_authority', 'hrss', 'auditor', 'sys_admin'));

-- An objection to a published result. `source` is a SHA-256 of the sender's address, kept
-- only to limit how many objections one address files per hour. The contact details are
-- personal data: lists show them masked, and each unmasking is audited.
CREATE TABLE objections (
    id             BIGSERIAL   PRIMARY KEY,
    application_id BIGINT      NOT NULL REFERENCES applications(id),
    name           TEXT        NOT NULL,
    contact        TEXT        NOT NULL,
    body           TEXT        NOT NULL,
    source         TEXT        NOT NULL,
    filed_at       TIMESTAMPTZ NOT NULL,
    -- upheld, dismissed, or superseded (another objection was upheld first)
    outcome        TEXT        CHECK (outcome IN ('upheld', 'dismissed', 'superseded')),
    reason         TEXT,
    resolved_by    BIGINT      REFERENCES users(id),
    resolved_at    TIMESTAMPTZ,
    CHECK ((outcome IS NULL) = (resolved_at IS NULL))
);
CREATE INDEX objections_application ON objections (application_id, id);
CREATE INDEX objections_source ON objections (source, filed_at);

-- A certificate issued on confirmation: its number is unique and public.
CREATE TABLE certificates (
    application_id BIGINT      PRIMARY KEY REFERENCES applications(id),
    number         TEXT        NOT NULL UNIQUE,
    issued_on      DATE        NOT NULL,
    issued_by      BIGINT      NOT NULL REFERENCES users(id),
    issued_at      TIMESTAMPTZ NOT NULL
);
