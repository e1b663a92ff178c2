-- Senior-title review, third part (issue 6): independent scoring. A session keeps the case
-- rubric it scores on (copied from the ruleset in force when it opens, so every candidate of
-- the session is scored on the same sheet), and the secretariat's reminders to reviewers who
-- have not yet submitted.

ALTER TABLE review_sessions ADD COLUMN rubric TEXT NOT NULL DEFAULT '{}';

CREATE TABLE review_reminders (
    id             BIGSERIAL   PRIMARY KEY,
    application_id BIGINT  NOT NULL REFERENCES applications(id),
    reviewer_id    BIGINT  NOT NULL REFERENCES users(id),
    reminded_at    TIMESTAMPTZ NOT NULL
);
CREATE INDEX review_reminders_reviewer ON review_reminders (reviewer_id, application_id);
