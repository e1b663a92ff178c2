-- A form's submissions (issue 21): every render of a record form carries a key, and the
-- record a submission saved is kept under it, so the same form sent again (a second click on
-- 添加, a retry after a lost answer) saves nothing more and answers the same record. The key
-- is claimed first in the saving transaction (a second copy waits for it, then finds it) and
-- the record filled in before commit, so a committed row always names its record.
CREATE TABLE form_submissions (
    person_id    BIGINT      NOT NULL REFERENCES people(id),
    form_key     TEXT        NOT NULL,
    record_id    BIGINT      REFERENCES records(id),
    submitted_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (person_id, form_key)
);
