-- Skills of a course (issue 12), as the document writes them: a JSON array of names or
-- {name, uri} objects.
ALTER TABLE courses ADD COLUMN skills TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(skills));

-- Portfolios a learner keeps (issue 12): the settings as the API writes them (JSON: framing,
-- field or theme, language, the learner's choices by course id, their statement). A name is
-- unique per learner.
CREATE TABLE portfolios (
    id         TEXT PRIMARY KEY,
    learner_id TEXT NOT NULL REFERENCES learners(id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    settings   TEXT NOT NULL CHECK (json_valid(settings)),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (learner_id, name)
) STRICT;

-- A link made from a saved portfolio shows it as it was when the link was made (`snapshot`),
-- or follows its later edits (`follows`), as the learner chose.
ALTER TABLE shares ADD COLUMN portfolio_id TEXT REFERENCES portfolios(id) ON DELETE SET NULL;
ALTER TABLE shares ADD COLUMN follows INTEGER NOT NULL DEFAULT 0 CHECK (follows IN (0, 1));
ALTER TABLE shares ADD COLUMN snapshot TEXT CHECK (snapshot IS NULL OR json_valid(snapshot));
