-- certfolio's schema on PostgreSQL (and CockroachDB / YugabyteDB): the same tables and
-- columns as SQLite's migrations 0001–0012 build, in one file, since no PostgreSQL
-- installation predates it. DDL only, and idempotent (IF NOT EXISTS everywhere), so that a
-- migration interrupted on an engine whose DDL is not transactional can simply run again.
-- Ids are UUIDs as text (no SERIAL: CockroachDB makes it non-sequential); times are Unix
-- seconds (UTC) as BIGINT, computed by the application; calendar dates are ISO text.
-- A learner's `revision` is bumped by the application in the same transaction as every
-- change to what a portfolio shows (no triggers).
-- Never edit a migration that has shipped: add the next numbered file instead.

CREATE TABLE IF NOT EXISTS learners (
    id            TEXT PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    name          TEXT NOT NULL,
    headline      TEXT,
    contact_email TEXT,
    location      TEXT,
    situation     TEXT CHECK (situation IN ('student', 'job_seeker', 'employed', 'independent', 'retired')),
    lang          TEXT CHECK (lang IN ('fr', 'en')),
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL,
    revision      BIGINT NOT NULL DEFAULT 0,
    ui_lang       TEXT CHECK (ui_lang IN ('fr', 'en'))
);

CREATE TABLE IF NOT EXISTS sessions (
    token_hash   BYTEA PRIMARY KEY CHECK (length(token_hash) = 32),
    learner_id   TEXT NOT NULL REFERENCES learners(id) ON DELETE CASCADE,
    created_at   BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    expires_at   BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS sessions_by_learner ON sessions(learner_id);

CREATE TABLE IF NOT EXISTS institutions (
    id         TEXT PRIMARY KEY,
    learner_id TEXT NOT NULL REFERENCES learners(id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    norm_name  TEXT NOT NULL,
    country    TEXT,
    kind       TEXT,
    website    TEXT,
    created_at BIGINT NOT NULL,
    UNIQUE (learner_id, norm_name)
);

CREATE TABLE IF NOT EXISTS platforms (
    id         TEXT PRIMARY KEY,
    learner_id TEXT NOT NULL REFERENCES learners(id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    norm_name  TEXT NOT NULL,
    website    TEXT,
    created_at BIGINT NOT NULL,
    UNIQUE (learner_id, norm_name)
);

-- Each import, so that the courses it brought can be found again (issue 12). A course keeps
-- the id of the last import that created or changed it.
CREATE TABLE IF NOT EXISTS imports (
    id         TEXT PRIMARY KEY,
    learner_id TEXT NOT NULL REFERENCES learners(id) ON DELETE CASCADE,
    format     TEXT NOT NULL,
    created    BIGINT NOT NULL,
    updated    BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS imports_by_learner ON imports(learner_id, created_at);

CREATE TABLE IF NOT EXISTS courses (
    id             TEXT PRIMARY KEY,
    learner_id     TEXT NOT NULL REFERENCES learners(id) ON DELETE CASCADE,
    seq            BIGINT NOT NULL,
    identity       TEXT NOT NULL,
    title          TEXT NOT NULL,
    platform_id    TEXT REFERENCES platforms(id),
    institution_id TEXT REFERENCES institutions(id),
    field          TEXT,
    themes         TEXT NOT NULL DEFAULT '[]',
    language       TEXT,
    started_on     TEXT,
    finished_on    TEXT,
    hours          DOUBLE PRECISION CHECK (hours > 0 AND hours <= 2000),
    follow_mode    TEXT CHECK (follow_mode IN ('prescribed', 'selective')),
    outcome        TEXT CHECK (outcome IN ('completed', 'audited', 'disengaged', 'sampled', 'in_progress')),
    motive         TEXT,
    notes          TEXT,
    prior_mastery  BOOLEAN,
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL,
    skills         TEXT NOT NULL DEFAULT '[]',
    import_id      TEXT REFERENCES imports(id) ON DELETE SET NULL,
    UNIQUE (learner_id, identity),
    CHECK (finished_on IS NULL OR started_on IS NULL OR finished_on >= started_on)
);
CREATE INDEX IF NOT EXISTS courses_by_learner ON courses(learner_id, seq);
CREATE INDEX IF NOT EXISTS courses_by_institution ON courses(institution_id);

CREATE TABLE IF NOT EXISTS attestations (
    course_id     TEXT PRIMARY KEY REFERENCES courses(id) ON DELETE CASCADE,
    kind          TEXT CHECK (kind IN ('participation', 'completion', 'achievement',
                                       'verified_certificate', 'badge', 'ects_credits')),
    issued_on     TEXT,
    credential_id TEXT,
    url           TEXT,
    grade         TEXT,
    ects          DOUBLE PRECISION CHECK (ects > 0),
    expires_on    TEXT
);

-- One evidence file per course; its bytes are in the object store, named by their SHA-256
-- (written before this row commits; the orphan sweep removes objects no row names).
CREATE TABLE IF NOT EXISTS evidence (
    id         TEXT PRIMARY KEY,
    course_id  TEXT NOT NULL UNIQUE REFERENCES courses(id) ON DELETE CASCADE,
    learner_id TEXT NOT NULL REFERENCES learners(id) ON DELETE CASCADE,
    sha256     TEXT NOT NULL CHECK (length(sha256) = 64),
    size       BIGINT NOT NULL CHECK (size > 0),
    media_type TEXT NOT NULL CHECK (media_type IN ('application/pdf', 'image/png', 'image/jpeg')),
    file_name  TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS evidence_by_learner ON evidence(learner_id);
CREATE INDEX IF NOT EXISTS evidence_by_sha256 ON evidence(sha256);

CREATE TABLE IF NOT EXISTS portfolios (
    id         TEXT PRIMARY KEY,
    learner_id TEXT NOT NULL REFERENCES learners(id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    settings   TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (learner_id, name)
);

CREATE TABLE IF NOT EXISTS shares (
    id                  TEXT PRIMARY KEY,
    learner_id          TEXT NOT NULL REFERENCES learners(id) ON DELETE CASCADE,
    token_hash          BYTEA NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    framing             TEXT NOT NULL CHECK (framing IN ('appetite', 'legitimacy')),
    field               TEXT,
    theme               TEXT,
    lang                TEXT CHECK (lang IN ('fr', 'en')),
    include_uncertified BOOLEAN NOT NULL DEFAULT FALSE,
    label               TEXT,
    expires_at          BIGINT,
    revoked_at          BIGINT,
    created_at          BIGINT NOT NULL,
    view_count          BIGINT NOT NULL DEFAULT 0,
    first_viewed_at     BIGINT,
    last_viewed_at      BIGINT,
    include_expired     BOOLEAN NOT NULL DEFAULT FALSE,
    portfolio_id        TEXT REFERENCES portfolios(id) ON DELETE SET NULL,
    follows             BOOLEAN NOT NULL DEFAULT FALSE,
    snapshot            TEXT,
    CHECK (field IS NULL OR theme IS NULL)
);
CREATE INDEX IF NOT EXISTS shares_by_learner ON shares(learner_id, created_at);

CREATE TABLE IF NOT EXISTS generated_pdfs (
    sha256       TEXT PRIMARY KEY CHECK (length(sha256) = 64),
    code         TEXT NOT NULL UNIQUE,
    learner_id   TEXT REFERENCES learners(id) ON DELETE SET NULL,
    learner_name TEXT NOT NULL,
    share_id     TEXT REFERENCES shares(id) ON DELETE SET NULL,
    framing      TEXT NOT NULL,
    scope        TEXT,
    lang         TEXT NOT NULL,
    size         BIGINT NOT NULL,
    created_at   BIGINT NOT NULL,
    content_key  TEXT CHECK (content_key IS NULL OR length(content_key) = 64)
);
CREATE INDEX IF NOT EXISTS generated_pdfs_by_content ON generated_pdfs(learner_id, content_key);

CREATE TABLE IF NOT EXISTS badges (
    course_id   TEXT PRIMARY KEY REFERENCES courses(id) ON DELETE CASCADE,
    payload     TEXT NOT NULL CHECK (length(payload) BETWEEN 1 AND 262144),
    format      TEXT CHECK (format IN ('ob2', 'ob3')),
    name        TEXT,
    issuer      TEXT,
    issued_on   TEXT,
    verified_by TEXT,
    expires_at  BIGINT,
    revoked     BOOLEAN NOT NULL DEFAULT FALSE,
    checked_at  BIGINT NOT NULL,
    CHECK (format IS NULL OR name IS NOT NULL)
);

CREATE TABLE IF NOT EXISTS share_reveals (
    share_id   TEXT PRIMARY KEY REFERENCES shares(id) ON DELETE CASCADE,
    learner_id TEXT NOT NULL REFERENCES learners(id) ON DELETE CASCADE,
    token      TEXT NOT NULL CHECK (length(token) = 43),
    expires_at BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS share_reveals_by_expiry ON share_reveals(expires_at);

-- Attempt budgets shared by every instance (see src/storage/limits.rs).
CREATE TABLE IF NOT EXISTS throttle (
    key           TEXT PRIMARY KEY,
    failures      BIGINT NOT NULL,
    window_start  BIGINT NOT NULL,
    blocked_until BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS budgets (
    key          TEXT PRIMARY KEY,
    window_start BIGINT NOT NULL,
    used         BIGINT NOT NULL
);

-- Import uploads waiting for confirmation: the bytes in the object store, by SHA-256.
CREATE TABLE IF NOT EXISTS pending_imports (
    id         TEXT PRIMARY KEY,
    learner_id TEXT NOT NULL REFERENCES learners(id) ON DELETE CASCADE,
    address    TEXT NOT NULL,
    file_name  TEXT NOT NULL,
    sha256     TEXT NOT NULL CHECK (length(sha256) = 64),
    size       BIGINT NOT NULL CHECK (size >= 0),
    expires_at BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS pending_imports_by_learner ON pending_imports(learner_id);
CREATE INDEX IF NOT EXISTS pending_imports_by_sha256 ON pending_imports(sha256);

-- Objects the orphan sweep is removing right now (storage::files): a write that would name one
-- waits until it is gone, then writes it again, so a sweep never removes an object a row names.
CREATE TABLE IF NOT EXISTS sweeping (
    sha256 TEXT PRIMARY KEY CHECK (length(sha256) = 64),
    since  BIGINT NOT NULL
);

-- What certfolio checked itself (issue 13): one row per course and kind of proof, about one
-- subject (the badge payload's SHA-256; the link and the title its page must name). The last
-- result wins; a changed subject clears the result and queues a new check. A result or a check
-- being queued bumps the learner's revision (storage::checks, in the same transaction).
CREATE TABLE IF NOT EXISTS proof_checks (
    course_id    TEXT NOT NULL REFERENCES courses(id) ON DELETE CASCADE,
    kind         TEXT NOT NULL CHECK (kind IN ('badge', 'link')),
    learner_id   TEXT NOT NULL REFERENCES learners(id) ON DELETE CASCADE,
    subject      TEXT NOT NULL,
    outcome      TEXT,
    result       TEXT,
    checked_at   BIGINT,
    since        BIGINT,
    due_at       BIGINT NOT NULL,
    queued       BOOLEAN NOT NULL DEFAULT TRUE,
    lease_id     TEXT,
    lease_until  BIGINT,
    attempted_at BIGINT,
    PRIMARY KEY (course_id, kind),
    CHECK ((outcome IS NULL) = (result IS NULL))
);
CREATE INDEX IF NOT EXISTS proof_checks_due ON proof_checks(due_at);
CREATE INDEX IF NOT EXISTS proof_checks_attempts ON proof_checks(learner_id, attempted_at);
CREATE INDEX IF NOT EXISTS proof_checks_by_learner ON proof_checks(learner_id);

-- Every change of outcome. `id` is given by the application (max + 1 in the writing
-- transaction, which is serializable): no SERIAL.
CREATE TABLE IF NOT EXISTS proof_check_changes (
    id           BIGINT PRIMARY KEY,
    course_id    TEXT NOT NULL REFERENCES courses(id) ON DELETE CASCADE,
    learner_id   TEXT NOT NULL REFERENCES learners(id) ON DELETE CASCADE,
    kind         TEXT NOT NULL CHECK (kind IN ('badge', 'link')),
    from_outcome TEXT,
    to_outcome   TEXT NOT NULL,
    at           BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS proof_check_changes_by_learner ON proof_check_changes(learner_id, at);
