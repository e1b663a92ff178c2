-- Senior-title review, seventh part (issue 6): the defense (答辩). A session whose rules say
-- `defense` has the secretariat schedule each candidate's defense during the expert review;
-- the reviewers assigned to the candidate score it once each, like their sheets.

-- When and where a candidate defends: `starts_at` is China time, as the secretariat typed it.
-- It may be moved until the first score is in.
CREATE TABLE review_defenses (
    application_id INTEGER PRIMARY KEY REFERENCES applications(id),
    starts_at      TEXT    NOT NULL,
    place          TEXT    NOT NULL,
    scheduled_at   TEXT    NOT NULL
);

-- A reviewer's defense score: submitted once, never changed.
CREATE TABLE defense_scores (
    application_id INTEGER NOT NULL REFERENCES applications(id),
    reviewer_id    INTEGER NOT NULL REFERENCES users(id),
    score          INTEGER NOT NULL CHECK (score >= 0),
    comment        TEXT    NOT NULL DEFAULT '',
    submitted_at   TEXT    NOT NULL,
    PRIMARY KEY (application_id, reviewer_id)
);

CREATE TRIGGER defense_scores_no_update BEFORE UPDATE ON defense_scores
BEGIN
    SELECT RAISE(ABORT, 'a submitted score never changes');
END;

CREATE TRIGGER defense_scores_no_delete BEFORE DELETE ON defense_scores
BEGIN
    SELECT RAISE(ABORT, 'a submitted score never changes');
END;
