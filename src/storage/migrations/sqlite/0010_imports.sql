-- Each import, so that the courses it brought can be found again (issue 12: "select all the
-- courses of one import" for a bulk edit). A course keeps the id of the last import that
-- created or changed it.
CREATE TABLE imports (
    id         TEXT PRIMARY KEY,
    learner_id TEXT NOT NULL REFERENCES learners(id) ON DELETE CASCADE,
    format     TEXT NOT NULL,
    created    INTEGER NOT NULL,
    updated    INTEGER NOT NULL,
    created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX imports_by_learner ON imports(learner_id, created_at);
ALTER TABLE courses ADD COLUMN import_id TEXT REFERENCES imports(id) ON DELETE SET NULL;
