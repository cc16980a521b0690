-- A share link's token, kept for a few minutes after it is made so that the page showing it can
-- be reloaded (post/redirect/get) without making another link; deleted once past its time.
-- Only the learner who made the link can read it back.
CREATE TABLE share_reveals (
    share_id   TEXT PRIMARY KEY REFERENCES shares(id) ON DELETE CASCADE,
    learner_id TEXT NOT NULL REFERENCES learners(id) ON DELETE CASCADE,
    token      TEXT NOT NULL CHECK (length(token) = 43),
    expires_at INTEGER NOT NULL
) STRICT;
CREATE INDEX share_reveals_by_expiry ON share_reveals(expires_at);
