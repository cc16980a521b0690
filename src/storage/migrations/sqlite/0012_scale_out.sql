-- Issue 14: the same schema on SQLite and PostgreSQL, for N instances.
-- The record revision is bumped by the application in the same transaction as every change
-- to what a portfolio shows (storage::bump_revision), on both engines: no triggers left.
DROP TRIGGER IF EXISTS learners_profile_changed;
DROP TRIGGER IF EXISTS courses_inserted;
DROP TRIGGER IF EXISTS courses_updated;
DROP TRIGGER IF EXISTS courses_deleted;
DROP TRIGGER IF EXISTS attestations_inserted;
DROP TRIGGER IF EXISTS attestations_deleted;
DROP TRIGGER IF EXISTS evidence_inserted;
DROP TRIGGER IF EXISTS evidence_deleted;
DROP TRIGGER IF EXISTS badges_inserted;
DROP TRIGGER IF EXISTS badges_deleted;
DROP TRIGGER IF EXISTS proof_checks_inserted;
DROP TRIGGER IF EXISTS proof_checks_changed;

-- Evidence bytes move to the object store, named by their SHA-256; `evidence_blobs` is
-- emptied (each blob checked by hash in the store first) by storage::evidence at start, and
-- no longer written.
CREATE INDEX IF NOT EXISTS evidence_by_sha256 ON evidence(sha256);
CREATE INDEX IF NOT EXISTS courses_by_institution ON courses(institution_id);

-- Attempt budgets shared by every instance (see src/storage/limits.rs).
CREATE TABLE IF NOT EXISTS throttle (
    key           TEXT PRIMARY KEY,
    failures      INTEGER NOT NULL,
    window_start  INTEGER NOT NULL,
    blocked_until INTEGER NOT NULL
) STRICT;
CREATE TABLE IF NOT EXISTS budgets (
    key          TEXT PRIMARY KEY,
    window_start INTEGER NOT NULL,
    used         INTEGER NOT NULL
) STRICT;

-- Import uploads waiting for confirmation: the bytes in the object store, by SHA-256.
CREATE TABLE IF NOT EXISTS pending_imports (
    id         TEXT PRIMARY KEY,
    learner_id TEXT NOT NULL REFERENCES learners(id) ON DELETE CASCADE,
    address    TEXT NOT NULL,
    file_name  TEXT NOT NULL,
    sha256     TEXT NOT NULL CHECK (length(sha256) = 64),
    size       INTEGER NOT NULL CHECK (size >= 0),
    expires_at INTEGER NOT NULL
) STRICT;
CREATE INDEX IF NOT EXISTS pending_imports_by_learner ON pending_imports(learner_id);
CREATE INDEX IF NOT EXISTS pending_imports_by_sha256 ON pending_imports(sha256);

-- Objects the orphan sweep is removing right now (storage::files): a write that would name one
-- waits until it is gone, then writes it again, so a sweep never removes an object a row names.
CREATE TABLE IF NOT EXISTS sweeping (
    sha256 TEXT PRIMARY KEY CHECK (length(sha256) = 64),
    since  INTEGER NOT NULL
) STRICT;
