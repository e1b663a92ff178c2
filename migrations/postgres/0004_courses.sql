-- The course catalog (课程体系) of each training base (issue 4): the courses its cohorts
-- schedule and its trainees log. Hours are hundredths of a 学时, like every stored hour.
CREATE TABLE courses (
    id         BIGSERIAL   PRIMARY KEY,
    base_id    BIGINT      NOT NULL REFERENCES training_bases(id),
    code       TEXT        NOT NULL,
    title      TEXT        NOT NULL,
    module     TEXT        NOT NULL CHECK (module IN ('public_knowledge', 'policy_law', 'practice_skills', 'capability')),
    level      TEXT        NOT NULL CHECK (level IN ('junior', 'intermediate', 'senior')),
    hours      BIGINT      NOT NULL CHECK (hours > 0),
    kind       TEXT        NOT NULL CHECK (kind IN ('theory', 'practicum')),
    instructor TEXT        NOT NULL DEFAULT '',
    active     BOOLEAN     NOT NULL DEFAULT TRUE,
    created_at TIMESTAMPTZ NOT NULL,
    UNIQUE (base_id, code)
);
