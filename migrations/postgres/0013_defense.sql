-- Senior-title review, seventh part (issue 6): the defense (答辩). A session whose rules say
-- `defense` has the secretariat schedule each candidate's defense during the expert review;
-- the reviewers assigned to the candidate score it once each, like their sheets.

-- When and where a candidate defends: `starts_at` is China time, as the secretariat typed it.
-- It may be moved until the first score is in.
CREATE TABLE review_defenses (
    application_id BIGINT    PRIMARY KEY REFERENCES applications(id),
    starts_at      TIMESTAMP NOT NULL,
    place          TEXT      NOT NULL,
    scheduled_at   TIMESTAMPTZ NOT NULL
);

-- A reviewer's defense score: submitted once, never changed.
CREATE TABLE defense_scores (
    application_id BIGINT  NOT NULL REFERENCES applications(id),
    reviewer_id    BIGINT  NOT NULL REFERENCES users(id),
    score          INTEGER NOT NULL CHECK (score >= 0),
    comment        TEXT    NOT NULL DEFAULT '',
    submitted_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (application_id, reviewer_id)
);

CREATE TRIGGER defense_scores_final BEFORE UPDATE OR DELETE ON defense_scores
    FOR EACH ROW EXECUTE FUNCTION review_scores_final();
CREATE TRIGGER defense_scores_no_truncate BEFORE TRUNCATE ON defense_scores
    FOR EACH STATEMENT EXECUTE FUNCTION review_scores_final();
