-- Identity corrections (issue 20): a base does not change the name, gender, phone, e-mail or
-- employer of a person it does not own (someone on another base's roster or with their own
-- account). From the import preview its clerk sends the person (when they have an account)
-- or a system admin a request instead. The differences are kept masked, as the preview shows
-- them. The person corrects their own contact on their profile, a system admin any identity
-- field, and either closes the request with an answer.
CREATE TABLE correction_requests (
    id            BIGSERIAL   PRIMARY KEY,
    person_id     BIGINT  NOT NULL REFERENCES people(id),
    base_id       BIGINT  NOT NULL REFERENCES training_bases(id),
    import_id     BIGINT  REFERENCES imports(id),
    row_no        BIGINT,
    addressed_to  TEXT    NOT NULL CHECK (addressed_to IN ('person', 'admin')),
    -- JSON: [{"field": "phone", "stored": "139****0001", "file": "139****0002"}, ...]
    differences   TEXT    NOT NULL,
    note          TEXT    NOT NULL DEFAULT '',
    requested_by  BIGINT  NOT NULL REFERENCES users(id),
    requested_at  TIMESTAMPTZ NOT NULL,
    state         TEXT    NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'corrected', 'dismissed')),
    answer        TEXT,
    closed_by     BIGINT  REFERENCES users(id),
    closed_at     TIMESTAMPTZ,
    CHECK ((state = 'open') = (closed_at IS NULL))
);
-- One open request per person from each base.
CREATE UNIQUE INDEX correction_requests_open ON correction_requests (person_id, base_id)
    WHERE state = 'open';
CREATE INDEX correction_requests_to ON correction_requests (addressed_to, state, id);
