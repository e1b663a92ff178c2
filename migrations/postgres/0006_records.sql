-- Trainee records (issue 4): training hours, continuing education, deal claims, practical
-- cases, outcome events and professional contributions. A record is never deleted: every
-- change appends an immutable version holding the record as the rules engine reads it (JSON,
-- docs/evidence-format.md), and the record row points at the version in force. Withdrawal
-- and rejection are states; a correction of a verified record is a pending version that the
-- verifying base accepts or refuses.

-- One technology contract. Registered contracts are unique by their registration number, so
-- every manager's claim on one contract meets here; an unregistered contract has one claim.
CREATE TABLE deals (
    id              BIGSERIAL   PRIMARY KEY,
    registration_no TEXT        UNIQUE,
    created_at      TIMESTAMPTZ NOT NULL
);

CREATE TABLE records (
    id              BIGSERIAL   PRIMARY KEY,
    person_id       BIGINT      NOT NULL REFERENCES people(id),
    kind            TEXT        NOT NULL CHECK (kind IN ('training', 'ce', 'deal', 'case', 'outcome', 'contribution')),
    -- The training base that verifies the record.
    base_id         BIGINT      REFERENCES training_bases(id),
    cohort_id       BIGINT      REFERENCES cohorts(id),
    -- Attendance of a scheduled session (one per person and session).
    session_id      BIGINT      REFERENCES cohort_sessions(id),
    -- A manager's claim on a contract (kind 'deal'; one per person and contract).
    deal_id         BIGINT      REFERENCES deals(id),
    status          TEXT        NOT NULL CHECK (status IN ('unverified', 'base_verified', 'registry_verified', 'rejected', 'withdrawn')),
    version         INTEGER     NOT NULL CHECK (version > 0),
    pending_version INTEGER     ,
    -- The reason the trainee sees for the latest rejection or refused correction.
    reason          TEXT        ,
    decided_by      BIGINT      REFERENCES users(id),
    decided_at      TIMESTAMPTZ ,
    record_date     DATE        NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL,
    UNIQUE (person_id, session_id),
    UNIQUE (person_id, deal_id),
    CHECK ((kind = 'deal') = (deal_id IS NOT NULL)),
    CHECK (pending_version IS NULL OR pending_version > version)
);
CREATE INDEX records_person ON records (person_id, kind, record_date);
CREATE INDEX records_queue ON records (base_id, status, record_date);
CREATE INDEX records_deal ON records (deal_id);

CREATE TABLE record_versions (
    record_id       BIGINT      NOT NULL REFERENCES records(id),
    version         INTEGER     NOT NULL CHECK (version > 0),
    payload         TEXT        NOT NULL,
    -- Why this version exists: created, edited, correction (with the trainee's reason)…
    note            TEXT        NOT NULL DEFAULT '',
    author_id       BIGINT      REFERENCES users(id),
    created_at      TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (record_id, version)
);

CREATE FUNCTION record_versions_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'record versions are immutable: a change is a new version';
END;
$$;

CREATE TRIGGER record_versions_immutable BEFORE UPDATE OR DELETE ON record_versions
    FOR EACH ROW EXECUTE FUNCTION record_versions_immutable();

CREATE TRIGGER record_versions_no_truncate BEFORE TRUNCATE ON record_versions
    FOR EACH STATEMENT EXECUTE FUNCTION record_versions_immutable();

-- Instructors' scores of a practicum case on the case rubric (domain.md §5.3).
CREATE TABLE case_reviews (
    record_id       BIGINT      NOT NULL REFERENCES records(id),
    reviewer_id     BIGINT      NOT NULL REFERENCES users(id),
    scores          TEXT        NOT NULL,          -- JSON: criterion -> points
    comment         TEXT        NOT NULL DEFAULT '',
    created_at      TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (record_id, reviewer_id)
);

-- Evidence files, kept in the database so that every app instance serves them. A removed file
-- keeps its bytes: a frozen dossier may still show it.
CREATE TABLE evidence_files (
    id              BIGSERIAL   PRIMARY KEY,
    record_id       BIGINT      NOT NULL REFERENCES records(id),
    kind            TEXT        NOT NULL CHECK (kind IN ('contract', 'registration', 'payment', 'certificate', 'other')),
    file_name       TEXT        NOT NULL,
    content_type    TEXT        NOT NULL CHECK (content_type IN ('application/pdf', 'image/jpeg', 'image/png')),
    size            BIGINT      NOT NULL CHECK (size > 0),
    sha256          TEXT        NOT NULL,
    content         BYTEA       NOT NULL,
    uploaded_by     BIGINT      REFERENCES users(id),
    created_at      TIMESTAMPTZ NOT NULL,
    removed_at      TIMESTAMPTZ
);
CREATE INDEX evidence_files_record ON evidence_files (record_id);

-- Each person's score under the active ruleset, recomputed when their records or the active
-- ruleset change, so that lists of thousands of people page from here.
CREATE TABLE score_snapshots (
    person_id       BIGINT      PRIMARY KEY REFERENCES people(id),
    ruleset_id      BIGINT      NOT NULL REFERENCES rulesets(id),
    total           BIGINT      NOT NULL,          -- thousandths of a point
    level           TEXT        NOT NULL,
    report          TEXT        NOT NULL,          -- JSON, ladder.score/1
    computed_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX score_snapshots_rank ON score_snapshots (ruleset_id, total);

