-- The learner's record. Ids are UUIDs as text; times are Unix seconds (UTC); calendar dates
-- are ISO `YYYY-MM-DD` text, so that they sort and compare as text.
-- Never edit a migration that has shipped: add the next numbered file instead.

CREATE TABLE learners (
    id            TEXT PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE,            -- login email, lower case
    password_hash TEXT NOT NULL,                   -- Argon2id PHC string
    name          TEXT NOT NULL,
    headline      TEXT,
    contact_email TEXT,                            -- shown on portfolios; the document's learner.email
    location      TEXT,
    situation     TEXT CHECK (situation IN ('student', 'job_seeker', 'employed', 'independent', 'retired')),
    lang          TEXT CHECK (lang IN ('fr', 'en')),
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
) STRICT;

-- Only the SHA-256 of a session token is stored: a copy of the database opens no session.
CREATE TABLE sessions (
    token_hash   BLOB PRIMARY KEY CHECK (length(token_hash) = 32),
    learner_id   TEXT NOT NULL REFERENCES learners(id) ON DELETE CASCADE,
    created_at   INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL                  -- the absolute limit
) STRICT;
CREATE INDEX sessions_by_learner ON sessions(learner_id);

-- Institutions and platforms belong to one learner (each learner may rename or merge their
-- own) and are deduplicated by a normalised name: accents, case and spaces do not count.
CREATE TABLE institutions (
    id         TEXT PRIMARY KEY,
    learner_id TEXT NOT NULL REFERENCES learners(id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    norm_name  TEXT NOT NULL,
    country    TEXT,
    kind       TEXT,
    website    TEXT,
    created_at INTEGER NOT NULL,
    UNIQUE (learner_id, norm_name)
) STRICT;

CREATE TABLE platforms (
    id         TEXT PRIMARY KEY,
    learner_id TEXT NOT NULL REFERENCES learners(id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    norm_name  TEXT NOT NULL,
    website    TEXT,
    created_at INTEGER NOT NULL,
    UNIQUE (learner_id, norm_name)
) STRICT;

CREATE TABLE courses (
    id             TEXT PRIMARY KEY,
    learner_id     TEXT NOT NULL REFERENCES learners(id) ON DELETE CASCADE,
    seq            INTEGER NOT NULL,               -- the learner's order (document order on import)
    identity       TEXT NOT NULL,                  -- normalised title + platform + start date
    title          TEXT NOT NULL,
    platform_id    TEXT REFERENCES platforms(id),
    institution_id TEXT REFERENCES institutions(id),
    field          TEXT,
    themes         TEXT NOT NULL DEFAULT '[]',     -- JSON array of strings, in the learner's order
    language       TEXT,
    started_on     TEXT,
    finished_on    TEXT,
    hours          REAL CHECK (hours > 0 AND hours <= 2000),
    follow_mode    TEXT CHECK (follow_mode IN ('prescribed', 'selective')),
    outcome        TEXT CHECK (outcome IN ('completed', 'audited', 'disengaged', 'sampled', 'in_progress')),
    motive         TEXT,
    notes          TEXT,
    prior_mastery  INTEGER CHECK (prior_mastery IN (0, 1)),
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL,
    UNIQUE (learner_id, identity),
    CHECK (finished_on IS NULL OR started_on IS NULL OR finished_on >= started_on)
) STRICT;
CREATE INDEX courses_by_learner ON courses(learner_id, seq);

-- At most one attestation per course; its presence (even with every field empty) is data.
CREATE TABLE attestations (
    course_id     TEXT PRIMARY KEY REFERENCES courses(id) ON DELETE CASCADE,
    kind          TEXT CHECK (kind IN ('participation', 'completion', 'achievement',
                                       'verified_certificate', 'badge', 'ects_credits')),
    issued_on     TEXT,
    credential_id TEXT,
    url           TEXT,
    grade         TEXT,
    ects          REAL CHECK (ects > 0)
) STRICT;

-- One evidence file per course. The bytes live in their own table so that listing
-- courses never reads them, and commit together with their record.
CREATE TABLE evidence (
    id         TEXT PRIMARY KEY,
    course_id  TEXT NOT NULL UNIQUE REFERENCES courses(id) ON DELETE CASCADE,
    learner_id TEXT NOT NULL REFERENCES learners(id) ON DELETE CASCADE,
    sha256     TEXT NOT NULL CHECK (length(sha256) = 64),
    size       INTEGER NOT NULL CHECK (size > 0),
    media_type TEXT NOT NULL CHECK (media_type IN ('application/pdf', 'image/png', 'image/jpeg')),
    file_name  TEXT NOT NULL,                      -- display text only, never a path
    created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX evidence_by_learner ON evidence(learner_id);

CREATE TABLE evidence_blobs (
    evidence_id TEXT PRIMARY KEY REFERENCES evidence(id) ON DELETE CASCADE,
    bytes       BLOB NOT NULL
) STRICT;
