-- Senior-title review, second part (issue 6): sub-panels and members' terms, each accepted
-- application's panel and reviewers, conflicts of interest (found or declared), and the
-- reviewers' independent scores.

-- A committee's sub-panels (学科组); they score, the whole committee votes.
CREATE TABLE panels (
    id           BIGSERIAL   PRIMARY KEY,
    committee_id BIGINT  NOT NULL REFERENCES committees(id),
    code         TEXT    NOT NULL,
    name         TEXT    NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    UNIQUE (committee_id, code)
);

-- A member's term on the committee and their sub-panel (reviewers and the chair).
CREATE TABLE committee_terms (
    committee_id BIGINT  NOT NULL REFERENCES committees(id),
    user_id      BIGINT  NOT NULL REFERENCES users(id),
    panel_id     BIGINT  REFERENCES panels(id),
    term_from    DATE    NOT NULL,
    term_to      DATE    NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (committee_id, user_id),
    CHECK (term_to >= term_from)
);

ALTER TABLE applications ADD COLUMN panel_id BIGINT REFERENCES panels(id);

-- The reviewers who score an application.
CREATE TABLE review_assignments (
    application_id BIGINT  NOT NULL REFERENCES applications(id),
    reviewer_id    BIGINT  NOT NULL REFERENCES users(id),
    assigned_at    TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (application_id, reviewer_id)
);
CREATE INDEX review_assignments_reviewer ON review_assignments (reviewer_id);

-- Why a reviewer may not review a candidate: found by the system or declared by the reviewer.
CREATE TABLE review_conflicts (
    id             BIGSERIAL   PRIMARY KEY,
    application_id BIGINT  NOT NULL REFERENCES applications(id),
    reviewer_id    BIGINT  NOT NULL REFERENCES users(id),
    kind           TEXT    NOT NULL CHECK (kind IN ('self', 'same_employer', 'co_manager', 'counterparty', 'shared_case', 'declared')),
    detail         TEXT    NOT NULL DEFAULT '',
    found_at       TIMESTAMPTZ NOT NULL,
    UNIQUE (application_id, reviewer_id, kind, detail)
);
CREATE INDEX review_conflicts_reviewer ON review_conflicts (reviewer_id);

-- A reviewer's score sheet: submitted once, never changed (independence: others' scores
-- become visible to a reviewer only after their own).
CREATE TABLE review_scores (
    application_id BIGINT  NOT NULL REFERENCES applications(id),
    reviewer_id    BIGINT  NOT NULL REFERENCES users(id),
    scores         TEXT    NOT NULL,
    total          INTEGER NOT NULL,
    recommendation TEXT    NOT NULL CHECK (recommendation IN ('support', 'neutral', 'oppose')),
    comment        TEXT    NOT NULL DEFAULT '',
    submitted_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (application_id, reviewer_id)
);

CREATE FUNCTION review_scores_final() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'a submitted score never changes';
END;
$$;
CREATE TRIGGER review_scores_final BEFORE UPDATE OR DELETE ON review_scores
    FOR EACH ROW EXECUTE FUNCTION review_scores_final();
CREATE TRIGGER review_scores_no_truncate BEFORE TRUNCATE ON review_scores
    FOR EACH STATEMENT EXECUTE FUNCTION review_scores_final();
