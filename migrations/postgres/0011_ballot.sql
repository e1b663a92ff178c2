-- Senior-title review, fourth part (issue 6): the committee's meeting and its secret ballot.
-- A session holds a meeting (and a further one for re-reviews after an appeal); it records
-- the members who sit (their term covers the day) and who is present. Each candidate's ballot
-- is a tally and a digest of the sealed ballots; a separate table says only that a member has
-- voted on a candidate. No table holds a ballot with a member column, a
-- timestamp or a sequential key, so no query links a member to a choice.

CREATE TABLE review_meetings (
    id          BIGSERIAL PRIMARY KEY,
    session_id  BIGINT  NOT NULL REFERENCES review_sessions(id),
    held_on     DATE    NOT NULL,
    opened_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX review_meetings_session ON review_meetings (session_id);

CREATE TABLE meeting_members (
    meeting_id BIGINT  NOT NULL REFERENCES review_meetings(id),
    user_id    BIGINT  NOT NULL REFERENCES users(id),
    role       TEXT    NOT NULL CHECK (role IN ('chair', 'reviewer')),
    present    BOOLEAN NOT NULL,
    PRIMARY KEY (meeting_id, user_id)
);

-- One candidate's ballot: how many present, non-recused members vote on them, the counts and
-- the running digest of the sealed ballots.
CREATE TABLE ballot_tallies (
    application_id BIGINT  NOT NULL REFERENCES applications(id),
    meeting_id     BIGINT  NOT NULL REFERENCES review_meetings(id),
    attending      INTEGER NOT NULL CHECK (attending > 0),
    yes            INTEGER NOT NULL DEFAULT 0,
    no             INTEGER NOT NULL DEFAULT 0,
    abstain        INTEGER NOT NULL DEFAULT 0,
    digest         TEXT    NOT NULL,
    PRIMARY KEY (meeting_id, application_id),
    CHECK (yes + no + abstain <= attending)
);

-- That a member has voted on a candidate, and nothing else.
CREATE TABLE ballot_voters (
    meeting_id     BIGINT  NOT NULL REFERENCES review_meetings(id),
    application_id BIGINT  NOT NULL REFERENCES applications(id),
    user_id        BIGINT  NOT NULL REFERENCES users(id),
    PRIMARY KEY (meeting_id, application_id, user_id)
);
