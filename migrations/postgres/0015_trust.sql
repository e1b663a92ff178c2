-- Trust (issue 20): keys outside the database, an audit log a database-only writer cannot
-- rewrite, and a secret ballot no reader of the database files can link to its voter.

-- The server's key sets this database has been used with (their secrets live only in the key
-- file, LADDER_KEY_FILE). `serve` refuses a key file whose current key is not the current one
-- here, so every instance uses the same file.
CREATE TABLE server_keys (
    id          TEXT    PRIMARY KEY,      -- first 16 hex digits of SHA-256 of the public key
    public_key  TEXT    NOT NULL,         -- Ed25519 public key (hex): checks the checkpoints
    first_used  TIMESTAMPTZ NOT NULL,
    current     BOOLEAN NOT NULL
);

-- From now on each audit row's chain hash is authenticated with HMAC-SHA-256 under the key
-- file's key. Rows written before this migration keep no MAC and are never re-hashed: the
-- first checkpoint (the anchor) signs the chain as it stands.
ALTER TABLE audit_log ADD COLUMN key_id TEXT;
ALTER TABLE audit_log ADD COLUMN mac TEXT;

-- Signed heads of the audit chain, made at the anchor, every certification, every ruleset
-- activation, every key change and at least daily, each also appended to the checkpoint file
-- outside the database. Deleting the newest audit rows is caught against the newest one.
CREATE TABLE audit_checkpoints (
    seq        BIGINT  PRIMARY KEY,       -- 1, 2, … (assigned under the audit log's lock)
    last_id    BIGINT  NOT NULL,          -- the newest audit row covered (0: none yet)
    head       TEXT    NOT NULL,          -- that row's chain hash
    at         TIMESTAMPTZ NOT NULL,
    reason     TEXT    NOT NULL,
    key_id     TEXT    NOT NULL,
    signature  TEXT    NOT NULL           -- Ed25519 over the checkpoint's canonical text (hex)
);

-- The encrypted ballot. A meeting's public key stays (the bulletin board needs it), its secret
-- is stored only sealed with the key file's key (XChaCha20-Poly1305, bound to the meeting and
-- the public key) and is deleted once every candidate's sum is decrypted, and the table is then
-- rewritten (VACUUM FULL), so no copy of its pages made afterwards holds it. PostgreSQL's own
-- write-ahead log and archives are outside Ladder's reach: docs/security.md says what follows.
CREATE TABLE ballot_keys (
    meeting_id BIGINT  PRIMARY KEY REFERENCES review_meetings(id),
    public_key TEXT    NOT NULL
);

CREATE TABLE ballot_secrets (
    meeting_id BIGINT  PRIMARY KEY REFERENCES review_meetings(id),
    key_id     TEXT    NOT NULL,
    nonce      BYTEA   NOT NULL,
    sealed     BYTEA   NOT NULL
);

-- Each member's tag in a meeting: what their ballots' proofs are bound to and what the
-- bulletin board shows instead of a name. Meetings before this migration have none.
ALTER TABLE meeting_members ADD COLUMN voter_tag TEXT;
CREATE UNIQUE INDEX meeting_members_tag ON meeting_members (meeting_id, voter_tag);

-- The ballots: ciphertexts and proofs, no member, no time, no sequential key. A ballot is
-- written in the same transaction as its member's "has voted" row (ballot_voters), and it reveals
-- nothing without the meeting's secret.
CREATE TABLE ballots (
    meeting_id     BIGINT  NOT NULL REFERENCES review_meetings(id),
    application_id BIGINT  NOT NULL REFERENCES applications(id),
    receipt        TEXT    NOT NULL,     -- SHA-256 of the ballot's wire form
    voter_tag      TEXT    NOT NULL,
    ciphertext_id  TEXT    NOT NULL UNIQUE,
    ballot         TEXT    NOT NULL,     -- the wire form (JSON)
    PRIMARY KEY (meeting_id, application_id, receipt),
    UNIQUE (meeting_id, application_id, voter_tag)
);

-- How each candidate's ballot is counted: 'counter' (the running tally before this migration,
-- kept as it was certified), 'encrypted' (no running counter: the counts are written once,
-- when the sums are decrypted) or 'paper' (the secretariat records the count of paper
-- ballots, only before any online ballot). `counted` is set when the counts are final.
ALTER TABLE ballot_tallies ADD COLUMN method TEXT NOT NULL DEFAULT 'counter'
    CHECK (method IN ('counter', 'encrypted', 'paper'));
ALTER TABLE ballot_tallies ADD COLUMN counted BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE ballot_tallies ADD COLUMN sums TEXT;       -- the encrypted sums (JSON)
ALTER TABLE ballot_tallies ADD COLUMN opening TEXT;    -- their decryption with proofs (JSON)
-- Every running tally is final except a candidate's latest while they are still being voted
-- on: that meeting is voided at the first start (server::review::ballot) and held again.
UPDATE ballot_tallies SET counted = TRUE
WHERE NOT EXISTS (SELECT 1 FROM applications a
                  WHERE a.id = ballot_tallies.application_id AND a.state = 'voting')
   OR meeting_id < (SELECT MAX(t.meeting_id) FROM ballot_tallies t
                    WHERE t.application_id = ballot_tallies.application_id);

-- A meeting whose ballot was voided (its key lost, or open during the upgrade): its
-- candidates go back to awaiting the vote and a new meeting is opened.
ALTER TABLE review_meetings ADD COLUMN voided_at TIMESTAMPTZ;
ALTER TABLE review_meetings ADD COLUMN void_reason TEXT;
