-- A cohort's timetable (issue 4): which catalog course is held on which day, and where.
-- Attendance for a session becomes training records (a later migration).
CREATE TABLE cohort_sessions (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    cohort_id  INTEGER NOT NULL REFERENCES cohorts(id),
    course_id  INTEGER NOT NULL REFERENCES courses(id),
    held_on    TEXT    NOT NULL,
    location   TEXT    NOT NULL DEFAULT '',
    created_at TEXT    NOT NULL,
    UNIQUE (cohort_id, course_id, held_on)
);
CREATE INDEX cohort_sessions_cohort ON cohort_sessions (cohort_id, held_on);
