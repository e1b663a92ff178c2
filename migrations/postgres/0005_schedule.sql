-- A cohort's timetable (issue 4): which catalog course is held on which day, and where.
-- Attendance for a session becomes training records (a later migration).
CREATE TABLE cohort_sessions (
    id         BIGSERIAL   PRIMARY KEY,
    cohort_id  BIGINT      NOT NULL REFERENCES cohorts(id),
    course_id  BIGINT      NOT NULL REFERENCES courses(id),
    held_on    DATE        NOT NULL,
    location   TEXT        NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL,
    UNIQUE (cohort_id, course_id, held_on)
);
CREATE INDEX cohort_sessions_cohort ON cohort_sessions (cohort_id, held_on);
