-- What a person states about themselves ("my profile", issue 4): education, professional titles,
-- employment, locality and the start of practice. Senior-title eligibility (domain.md §4.2) and
-- the review's conflict-of-interest checks read these.
CREATE TABLE person_education (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    person_id    INTEGER NOT NULL REFERENCES people(id),
    level        TEXT    NOT NULL CHECK (level IN ('doctorate', 'master', 'bachelor', 'associate', 'other')),
    institution  TEXT    NOT NULL,
    major        TEXT    NOT NULL DEFAULT '',
    graduated_on TEXT    NOT NULL,
    created_at   TEXT    NOT NULL
);
CREATE INDEX person_education_person ON person_education (person_id);

-- 职称: the economics series' ranks (经济师, 高级经济师, 正高级经济师).
CREATE TABLE person_titles (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    person_id      INTEGER NOT NULL REFERENCES people(id),
    rank           TEXT    NOT NULL CHECK (rank IN ('intermediate', 'deputy_senior', 'full_senior')),
    series         TEXT    NOT NULL,
    obtained_on    TEXT    NOT NULL,
    certificate_no TEXT    NOT NULL DEFAULT '',
    created_at     TEXT    NOT NULL
);
CREATE INDEX person_titles_person ON person_titles (person_id);

CREATE TABLE person_employers (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    person_id  INTEGER NOT NULL REFERENCES people(id),
    unit_name  TEXT    NOT NULL,
    position   TEXT    NOT NULL DEFAULT '',
    from_on    TEXT    NOT NULL,
    to_on      TEXT,
    created_at TEXT    NOT NULL,
    CHECK (to_on IS NULL OR to_on >= from_on)
);
CREATE INDEX person_employers_person ON person_employers (person_id);

-- One row per person once they have said anything about locality or practice.
CREATE TABLE person_locality (
    person_id               INTEGER PRIMARY KEY REFERENCES people(id),
    hukou                   INTEGER NOT NULL DEFAULT 0 CHECK (hukou IN (0, 1)),
    residence_permit        INTEGER NOT NULL DEFAULT 0 CHECK (residence_permit IN (0, 1)),
    social_insurance_months INTEGER NOT NULL DEFAULT 0 CHECK (social_insurance_months BETWEEN 0 AND 24),
    practice_since          TEXT,
    updated_at              TEXT    NOT NULL
);
