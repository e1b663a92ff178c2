-- Roster and attendance imports (issue 5). The uploaded file is kept by its hash between the
-- preview and the commit, so any app instance can serve either step; the commit re-validates
-- and must reach the same digest as the preview.
CREATE TABLE import_files (
    sha256     TEXT    PRIMARY KEY,
    size       BIGINT  NOT NULL CHECK (size > 0),
    content    BYTEA   NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);

-- Every upload, also those that could not be read (state 'failed', with the clerk's message):
-- the import history.
CREATE TABLE imports (
    id           BIGSERIAL   PRIMARY KEY,
    kind         TEXT        NOT NULL CHECK (kind IN ('roster', 'attendance')),
    base_id      BIGINT      NOT NULL REFERENCES training_bases(id),
    cohort_id    BIGINT      REFERENCES cohorts(id),   -- for rows that name no cohort
    file_name    TEXT        NOT NULL,
    size         BIGINT      NOT NULL,
    sha256       TEXT        REFERENCES import_files(sha256),  -- the kept file; NULL when failed
    state        TEXT        NOT NULL CHECK (state IN ('previewed', 'committed', 'failed')),
    digest       TEXT        NOT NULL DEFAULT '',      -- of the previewed outcome
    counts       TEXT        NOT NULL DEFAULT '{}',    -- JSON: total, new, updated, unchanged, skipped, error
    error        TEXT,                                 -- JSON {"zh-CN": …, "en": …} when failed
    valid_only   BOOLEAN     NOT NULL DEFAULT FALSE,
    created_by   BIGINT      REFERENCES users(id),
    created_at   TIMESTAMPTZ NOT NULL,
    committed_at TIMESTAMPTZ,
    CHECK ((state = 'failed') = (sha256 IS NULL))
);
CREATE INDEX imports_base ON imports (base_id, id);

-- A roster's details per membership (domain.md §8.1), as the latest import left them.
ALTER TABLE cohort_members ADD COLUMN position TEXT;
ALTER TABLE cohort_members ADD COLUMN education TEXT;
ALTER TABLE cohort_members ADD COLUMN hours_theory BIGINT;     -- hundredths of 学时
ALTER TABLE cohort_members ADD COLUMN hours_practicum BIGINT;  -- hundredths of 学时
ALTER TABLE cohort_members ADD COLUMN score TEXT;
ALTER TABLE cohort_members ADD COLUMN note TEXT;
ALTER TABLE cohort_members ADD COLUMN import_id BIGINT REFERENCES imports(id);

-- A person's memberships (imports look people up by ID number, then their cohorts).
CREATE INDEX cohort_members_person ON cohort_members (person_id);
