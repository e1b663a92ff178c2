-- Foundation schema (PostgreSQL). Same stems as migrations/sqlite; never edit an applied file.

CREATE TABLE units (
    id          BIGSERIAL PRIMARY KEY,
    name        TEXT        NOT NULL UNIQUE,
    credit_code TEXT        UNIQUE,
    created_at  TIMESTAMPTZ NOT NULL
);

-- People exist without a login: a roster import creates people, a login is added later.
CREATE TABLE people (
    id          BIGSERIAL PRIMARY KEY,
    name        TEXT        NOT NULL,
    id_number   TEXT        UNIQUE,
    gender      TEXT        CHECK (gender IN ('male', 'female')),
    phone       TEXT,
    email       TEXT,
    unit_id     BIGINT      REFERENCES units(id),
    created_at  TIMESTAMPTZ NOT NULL
);

CREATE TABLE users (
    id                   BIGSERIAL PRIMARY KEY,
    person_id            BIGINT      NOT NULL UNIQUE REFERENCES people(id),
    username             TEXT        NOT NULL UNIQUE,
    email                TEXT        UNIQUE,
    password_hash        TEXT        NOT NULL,
    active               BOOLEAN     NOT NULL DEFAULT TRUE,
    must_change_password BOOLEAN     NOT NULL DEFAULT FALSE,
    created_at           TIMESTAMPTZ NOT NULL
);

-- Sign-in accepts the e-mail address in any case, so it must be unique ignoring case.
CREATE UNIQUE INDEX users_email_lower ON users (lower(email));

CREATE TABLE training_bases (
    id         BIGSERIAL PRIMARY KEY,
    code       TEXT        NOT NULL UNIQUE,
    name       TEXT        NOT NULL,
    region     TEXT        NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE cohorts (
    id         BIGSERIAL PRIMARY KEY,
    base_id    BIGINT      NOT NULL REFERENCES training_bases(id),
    code       TEXT        NOT NULL UNIQUE,
    name       TEXT        NOT NULL,
    level      TEXT        NOT NULL CHECK (level IN ('junior', 'intermediate', 'senior')),
    starts_on  DATE        NOT NULL,
    ends_on    DATE        NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    CHECK (ends_on >= starts_on)
);

CREATE TABLE cohort_members (
    cohort_id BIGINT NOT NULL REFERENCES cohorts(id),
    person_id BIGINT NOT NULL REFERENCES people(id),
    PRIMARY KEY (cohort_id, person_id)
);

CREATE TABLE committees (
    id         BIGSERIAL PRIMARY KEY,
    code       TEXT        NOT NULL UNIQUE,
    name       TEXT        NOT NULL,
    series     TEXT        NOT NULL,
    specialty  TEXT        NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE role_grants (
    id           BIGSERIAL PRIMARY KEY,
    user_id      BIGINT      NOT NULL REFERENCES users(id),
    role         TEXT        NOT NULL CHECK (role IN ('trainee', 'instructor', 'base_admin',
                   'unit_reviewer', 'secretary', 'reviewer', 'chair', 'program_authority',
                   'auditor', 'sys_admin')),
    base_id      BIGINT      REFERENCES training_bases(id),
    unit_id      BIGINT      REFERENCES units(id),
    committee_id BIGINT      REFERENCES committees(id),
    scope_key    TEXT        NOT NULL,
    granted_at   TIMESTAMPTZ NOT NULL,
    UNIQUE (user_id, role, scope_key),
    CHECK (num_nonnulls(base_id, unit_id, committee_id) <= 1)
);

CREATE TABLE sessions (
    token_hash TEXT        PRIMARY KEY,
    user_id    BIGINT      NOT NULL REFERENCES users(id),
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE login_failures (
    id      BIGSERIAL PRIMARY KEY,
    account TEXT        NOT NULL,
    address TEXT        NOT NULL,
    at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX login_failures_account ON login_failures(account, at);
CREATE INDEX login_failures_address ON login_failures(address, at);

-- Append-only, hash-chained audit log; triggers refuse UPDATE, DELETE and TRUNCATE.
CREATE TABLE audit_log (
    id             BIGSERIAL PRIMARY KEY,
    at             TIMESTAMPTZ NOT NULL,
    actor_user_id  BIGINT,
    actor_label    TEXT        NOT NULL,
    action         TEXT        NOT NULL,
    entity_type    TEXT        NOT NULL,
    entity_id      TEXT        NOT NULL,
    before_summary TEXT,
    after_summary  TEXT,
    prev_hash      TEXT        NOT NULL,
    hash           TEXT        NOT NULL UNIQUE
);
CREATE INDEX audit_log_entity ON audit_log(entity_type, entity_id);
CREATE INDEX audit_log_actor ON audit_log(actor_user_id);

CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END;
$$;

CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
