-- What certfolio checked itself (issue 13): one row per course and kind of proof (its badge;
-- its verification link on a known issuer's host), about one subject (the badge payload's
-- SHA-256; the link and the title its page must name). The last result wins; a changed subject
-- clears the result and queues a new check. Levels of proof are read from these rows only.

CREATE TABLE proof_checks (
    course_id    TEXT NOT NULL REFERENCES courses(id) ON DELETE CASCADE,
    kind         TEXT NOT NULL CHECK (kind IN ('badge', 'link')),
    learner_id   TEXT NOT NULL REFERENCES learners(id) ON DELETE CASCADE,
    subject      TEXT NOT NULL,
    outcome      TEXT,                       -- NULL: never checked; else domain::check::Outcome
    result       TEXT,                       -- JSON (domain::check::CheckResult)
    checked_at   INTEGER,                    -- when the result was obtained (Unix seconds)
    since        INTEGER,                    -- when the outcome became what it is
    due_at       INTEGER NOT NULL,           -- the next check is due then
    queued       INTEGER NOT NULL DEFAULT 1 CHECK (queued IN (0, 1)),  -- new, changed or asked for
    lease_id     TEXT,                       -- the worker running it …
    lease_until  INTEGER,                    -- … until then (a crashed worker's lease runs out)
    attempted_at INTEGER,                    -- last claimed: what the per-learner budget counts
    PRIMARY KEY (course_id, kind),
    CHECK ((outcome IS NULL) = (result IS NULL))
) STRICT;
CREATE INDEX proof_checks_due ON proof_checks(due_at);
CREATE INDEX proof_checks_attempts ON proof_checks(learner_id, attempted_at);

-- Every change of outcome, so that pages can say "revoked since …" and the learner is told.
CREATE TABLE proof_check_changes (
    id           INTEGER PRIMARY KEY,
    course_id    TEXT NOT NULL REFERENCES courses(id) ON DELETE CASCADE,
    learner_id   TEXT NOT NULL REFERENCES learners(id) ON DELETE CASCADE,
    kind         TEXT NOT NULL CHECK (kind IN ('badge', 'link')),
    from_outcome TEXT,                       -- NULL: the first result
    to_outcome   TEXT NOT NULL,
    at           INTEGER NOT NULL
) STRICT;
CREATE INDEX proof_check_changes_by_learner ON proof_check_changes(learner_id, at);

-- A result, or a check being queued, changes what pages show (the record revision caches them).
CREATE TRIGGER proof_checks_inserted AFTER INSERT ON proof_checks BEGIN
    UPDATE learners SET revision = revision + 1 WHERE id = NEW.learner_id;
END;
CREATE TRIGGER proof_checks_changed AFTER UPDATE OF subject, outcome, result, checked_at, since, queued ON proof_checks
BEGIN
    UPDATE learners SET revision = revision + 1 WHERE id = NEW.learner_id;
END;
