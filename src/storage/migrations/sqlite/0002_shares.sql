-- Share links (capability URLs for recruiters) and the registry of generated PDFs.

CREATE TABLE shares (
    id                  TEXT PRIMARY KEY,
    learner_id          TEXT NOT NULL REFERENCES learners(id) ON DELETE CASCADE,
    token_hash          BLOB NOT NULL UNIQUE CHECK (length(token_hash) = 32),  -- SHA-256 of the token
    framing             TEXT NOT NULL CHECK (framing IN ('appetite', 'legitimacy')),
    field               TEXT,
    theme               TEXT,
    lang                TEXT CHECK (lang IN ('fr', 'en')),
    include_uncertified INTEGER NOT NULL DEFAULT 0 CHECK (include_uncertified IN (0, 1)),
    label               TEXT,
    expires_at          INTEGER,
    revoked_at          INTEGER,
    created_at          INTEGER NOT NULL,
    view_count          INTEGER NOT NULL DEFAULT 0,
    first_viewed_at     INTEGER,
    last_viewed_at      INTEGER,
    CHECK (field IS NULL OR theme IS NULL)
) STRICT;
CREATE INDEX shares_by_learner ON shares(learner_id, created_at);

-- Every PDF this service hands out: its SHA-256, the short code printed in it, for whom,
-- when and how it was framed. `POST /verify` recognises exactly these bytes.
CREATE TABLE generated_pdfs (
    sha256       TEXT PRIMARY KEY CHECK (length(sha256) = 64),
    code         TEXT NOT NULL UNIQUE,
    learner_id   TEXT REFERENCES learners(id) ON DELETE SET NULL,
    learner_name TEXT NOT NULL,                   -- as printed, kept if the account goes
    share_id     TEXT REFERENCES shares(id) ON DELETE SET NULL,
    framing      TEXT NOT NULL,
    scope        TEXT,                            -- the field or theme, when there is one
    lang         TEXT NOT NULL,
    size         INTEGER NOT NULL,
    created_at   INTEGER NOT NULL
) STRICT;
