-- Foundation schema (SQLite). Same stems as migrations/postgres; never edit an applied file.
-- Times are written by the application (one clock) as RFC 3339 text in UTC; dates as YYYY-MM-DD.

-- Employers (所在单位). A unit reviewer's role is scoped to one.
CREATE TABLE units (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    name        TEXT    NOT NULL UNIQUE,
    credit_code TEXT    UNIQUE,            -- 统一社会信用代码, optional
    created_at  TEXT    NOT NULL
);

-- People exist without a login: a roster import creates people, a login is added later.
CREATE TABLE people (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    name        TEXT    NOT NULL,
    id_number   TEXT    UNIQUE,            -- normalised 18-character 公民身份号码; shown masked
    gender      TEXT    CHECK (gender IN ('male', 'female')),
    phone       TEXT,
    email       TEXT,
    unit_id     INTEGER REFERENCES units(id),
    created_at  TEXT    NOT NULL
);

CREATE TABLE users (
    id                   INTEGER PRIMARY KEY AUTOINCREMENT,
    person_id            INTEGER NOT NULL UNIQUE REFERENCES people(id),
    username             TEXT    NOT NULL UNIQUE,
    email                TEXT    UNIQUE,
    password_hash        TEXT    NOT NULL,  -- argon2id PHC string
    active               INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    must_change_password INTEGER NOT NULL DEFAULT 0 CHECK (must_change_password IN (0, 1)),
    created_at           TEXT    NOT NULL
);

-- Sign-in accepts the e-mail address in any case, so it must be unique ignoring case.
CREATE UNIQUE INDEX users_email_lower ON users (lower(email));

-- Training bases (实训基地), addressed by a short code.
CREATE TABLE training_bases (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    code       TEXT    NOT NULL UNIQUE,
    name       TEXT    NOT NULL,
    region     TEXT    NOT NULL DEFAULT '',
    created_at TEXT    NOT NULL
);

-- A cohort (培训班次) trains one level at one base between two dates.
CREATE TABLE cohorts (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    base_id    INTEGER NOT NULL REFERENCES training_bases(id),
    code       TEXT    NOT NULL UNIQUE,
    name       TEXT    NOT NULL,
    level      TEXT    NOT NULL CHECK (level IN ('junior', 'intermediate', 'senior')),
    starts_on  TEXT    NOT NULL,
    ends_on    TEXT    NOT NULL,
    created_at TEXT    NOT NULL,
    CHECK (ends_on >= starts_on)
);

-- Who is enrolled in which cohort (the roster).
CREATE TABLE cohort_members (
    cohort_id INTEGER NOT NULL REFERENCES cohorts(id),
    person_id INTEGER NOT NULL REFERENCES people(id),
    PRIMARY KEY (cohort_id, person_id)
);

-- Title review committees (评委会): name, title series, specialty.
CREATE TABLE committees (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    code       TEXT    NOT NULL UNIQUE,
    name       TEXT    NOT NULL,
    series     TEXT    NOT NULL,          -- e.g. 经济系列
    specialty  TEXT    NOT NULL,          -- e.g. 科技成果转移转化
    created_at TEXT    NOT NULL
);

-- Roles with their scope. scope_key is '' (global), 'base:ID', 'unit:ID' or 'committee:ID' and
-- makes a role grantable once per scope; the typed columns keep the foreign keys honest.
CREATE TABLE role_grants (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id      INTEGER NOT NULL REFERENCES users(id),
    role         TEXT    NOT NULL CHECK (role IN ('trainee', 'instructor', 'base_admin',
                   'unit_reviewer', 'secretary', 'reviewer', 'chair', 'program_authority',
                   'auditor', 'sys_admin')),
    base_id      INTEGER REFERENCES training_bases(id),
    unit_id      INTEGER REFERENCES units(id),
    committee_id INTEGER REFERENCES committees(id),
    scope_key    TEXT    NOT NULL,
    granted_at   TEXT    NOT NULL,
    UNIQUE (user_id, role, scope_key),
    CHECK ((base_id IS NOT NULL) + (unit_id IS NOT NULL) + (committee_id IS NOT NULL) <= 1)
);

-- Sign-in sessions live in the database so that any number of app instances can serve them.
-- Only a SHA-256 of the cookie token is stored.
CREATE TABLE sessions (
    token_hash TEXT    PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id),
    created_at TEXT    NOT NULL,
    expires_at TEXT    NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

-- Failed sign-ins, counted per account and per address inside a sliding window.
CREATE TABLE login_failures (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    account TEXT    NOT NULL,
    address TEXT    NOT NULL,
    at      TEXT    NOT NULL
);
CREATE INDEX login_failures_account ON login_failures(account, at);
CREATE INDEX login_failures_address ON login_failures(address, at);

-- Append-only audit log. Each row carries the hash of the previous row, so a removed or altered
-- row breaks the chain; the triggers below refuse UPDATE and DELETE outright.
CREATE TABLE audit_log (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    at            TEXT    NOT NULL,
    actor_user_id INTEGER,                -- NULL for the command line and the system
    actor_label   TEXT    NOT NULL,
    action        TEXT    NOT NULL,
    entity_type   TEXT    NOT NULL,
    entity_id     TEXT    NOT NULL,
    before_summary TEXT,
    after_summary  TEXT,
    prev_hash     TEXT    NOT NULL,
    hash          TEXT    NOT NULL UNIQUE
);
CREATE INDEX audit_log_entity ON audit_log(entity_type, entity_id);
CREATE INDEX audit_log_actor ON audit_log(actor_user_id);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
