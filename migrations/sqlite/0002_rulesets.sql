-- Rulesets as stored, versioned data (issue 3). A version is a draft until it is activated or a
-- stored score or dossier references it; from then on (locked_at set) its content never
-- changes and it cannot be deleted: a change is a new version. The triggers hold this even
-- against a hand-written UPDATE.
CREATE TABLE rulesets (
    id            INTEGER PRIMARY KEY,
    code          TEXT    NOT NULL,
    version       INTEGER NOT NULL CHECK (version > 0),
    jurisdiction  TEXT    NOT NULL,
    name          TEXT    NOT NULL,
    source        TEXT    NOT NULL,
    sha256        TEXT    NOT NULL,
    imported_at   TEXT    NOT NULL,
    status        TEXT    NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'active', 'retired')),
    activated_at  TEXT,
    locked_at     TEXT,
    UNIQUE (code, version),
    -- An active or retired version was activated, so it is locked.
    CHECK (status = 'draft' OR locked_at IS NOT NULL)
);

-- One active version per ruleset code.
CREATE UNIQUE INDEX rulesets_one_active ON rulesets (code) WHERE status = 'active';

CREATE TRIGGER rulesets_locked_update BEFORE UPDATE ON rulesets
WHEN OLD.locked_at IS NOT NULL AND (
    NEW.id IS NOT OLD.id OR NEW.code IS NOT OLD.code OR NEW.version IS NOT OLD.version
    OR NEW.jurisdiction IS NOT OLD.jurisdiction OR NEW.name IS NOT OLD.name
    OR NEW.source IS NOT OLD.source OR NEW.sha256 IS NOT OLD.sha256
    OR NEW.imported_at IS NOT OLD.imported_at OR NEW.locked_at IS NOT OLD.locked_at
    OR NEW.status = 'draft')
BEGIN
    SELECT RAISE(ABORT, 'ruleset version is locked: a change is a new version');
END;

-- INSERT OR REPLACE would delete a locked row without firing the delete trigger.
CREATE TRIGGER rulesets_locked_replace BEFORE INSERT ON rulesets
WHEN EXISTS (SELECT 1 FROM rulesets
             WHERE code = NEW.code AND version = NEW.version AND locked_at IS NOT NULL)
BEGIN
    SELECT RAISE(ABORT, 'ruleset version is locked: a change is a new version');
END;

CREATE TRIGGER rulesets_locked_delete BEFORE DELETE ON rulesets
WHEN OLD.locked_at IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'ruleset version is locked: a change is a new version');
END;
