-- Open Badges data kept with an attestation (issue 6): the payload as issued, and what
-- certfolio found when it checked it at import. The check is stored, not trusted from any
-- document: it is recomputed from the payload at every import (`interop::openbadges`), and its
-- expiry is read against the clock each time a level is shown.

CREATE TABLE badges (
    course_id   TEXT PRIMARY KEY REFERENCES courses(id) ON DELETE CASCADE,
    payload     TEXT NOT NULL CHECK (length(payload) BETWEEN 1 AND 262144),  -- JSON or compact JWS
    format      TEXT CHECK (format IN ('ob2', 'ob3')),   -- NULL: never checked (shown at no badge level)
    name        TEXT,                                    -- the badge's name: the claim it vouches for
    issuer      TEXT,
    issued_on   TEXT,
    verified_by TEXT,                                    -- trust-file entry whose key verified it
    expires_at  INTEGER,                                 -- Unix seconds, as the badge says
    revoked     INTEGER NOT NULL DEFAULT 0 CHECK (revoked IN (0, 1)),
    checked_at  INTEGER NOT NULL,
    CHECK (format IS NULL OR name IS NOT NULL)
) STRICT;

CREATE TRIGGER badges_inserted AFTER INSERT ON badges BEGIN
    UPDATE learners SET revision = revision + 1 WHERE id = (SELECT learner_id FROM courses WHERE id = NEW.course_id);
END;
CREATE TRIGGER badges_deleted AFTER DELETE ON badges BEGIN
    UPDATE learners SET revision = revision + 1 WHERE id = (SELECT learner_id FROM courses WHERE id = OLD.course_id);
END;
