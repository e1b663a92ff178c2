-- Rulesets as stored, versioned data (issue 3). A version is a draft until it is activated or a
-- stored score or dossier references it; from then on (locked_at set) its content never
-- changes and it cannot be deleted: a change is a new version. The triggers hold this even
-- against a hand-written UPDATE.
CREATE TABLE rulesets (
    id            BIGSERIAL PRIMARY KEY,
    code          TEXT        NOT NULL,
    version       INTEGER     NOT NULL CHECK (version > 0),
    jurisdiction  TEXT        NOT NULL,
    name          TEXT        NOT NULL,
    source        TEXT        NOT NULL,
    sha256        TEXT        NOT NULL,
    imported_at   TIMESTAMPTZ NOT NULL,
    status        TEXT        NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'active', 'retired')),
    activated_at  TIMESTAMPTZ,
    locked_at     TIMESTAMPTZ,
    UNIQUE (code, version),
    -- An active or retired version was activated, so it is locked.
    CHECK (status = 'draft' OR locked_at IS NOT NULL)
);

-- One active version per ruleset code.
CREATE UNIQUE INDEX rulesets_one_active ON rulesets (code) WHERE status = 'active';

CREATE FUNCTION rulesets_locked() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.locked_at IS NULL THEN
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
        RETURN NEW;
    END IF;
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'ruleset version is locked: a change is a new version';
    END IF;
    IF NEW.id IS DISTINCT FROM OLD.id OR NEW.code IS DISTINCT FROM OLD.code OR NEW.version IS DISTINCT FROM OLD.version
       OR NEW.jurisdiction IS DISTINCT FROM OLD.jurisdiction OR NEW.name IS DISTINCT FROM OLD.name
       OR NEW.source IS DISTINCT FROM OLD.source OR NEW.sha256 IS DISTINCT FROM OLD.sha256
       OR NEW.imported_at IS DISTINCT FROM OLD.imported_at
       OR NEW.locked_at IS DISTINCT FROM OLD.locked_at OR NEW.status = 'draft' THEN
        RAISE EXCEPTION 'ruleset version is locked: a change is a new version';
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER rulesets_locked BEFORE UPDATE OR DELETE ON rulesets
    FOR EACH ROW EXECUTE FUNCTION rulesets_locked();

-- TRUNCATE skips row triggers: refuse it while any version is locked.
CREATE FUNCTION rulesets_no_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM rulesets WHERE locked_at IS NOT NULL) THEN
        RAISE EXCEPTION 'ruleset versions are locked: a change is a new version';
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER rulesets_no_truncate BEFORE TRUNCATE ON rulesets
    FOR EACH STATEMENT EXECUTE FUNCTION rulesets_no_truncate();
