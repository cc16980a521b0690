-- A learner's record revision: bumped by triggers on every change to what a portfolio shows
-- (profile, courses, attestations, evidence), whichever process or statement makes it. Pages
-- rendered from the record are cached by (link, revision), so a change shows at once.

ALTER TABLE learners ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;

CREATE TRIGGER learners_profile_changed AFTER UPDATE OF name, headline, contact_email, location, situation, lang
ON learners BEGIN
    UPDATE learners SET revision = revision + 1 WHERE id = NEW.id;
END;

CREATE TRIGGER courses_inserted AFTER INSERT ON courses BEGIN
    UPDATE learners SET revision = revision + 1 WHERE id = NEW.learner_id;
END;
CREATE TRIGGER courses_updated AFTER UPDATE ON courses BEGIN
    UPDATE learners SET revision = revision + 1 WHERE id = NEW.learner_id;
END;
CREATE TRIGGER courses_deleted AFTER DELETE ON courses BEGIN
    UPDATE learners SET revision = revision + 1 WHERE id = OLD.learner_id;
END;

CREATE TRIGGER attestations_inserted AFTER INSERT ON attestations BEGIN
    UPDATE learners SET revision = revision + 1 WHERE id = (SELECT learner_id FROM courses WHERE id = NEW.course_id);
END;
CREATE TRIGGER attestations_deleted AFTER DELETE ON attestations BEGIN
    UPDATE learners SET revision = revision + 1 WHERE id = (SELECT learner_id FROM courses WHERE id = OLD.course_id);
END;

CREATE TRIGGER evidence_inserted AFTER INSERT ON evidence BEGIN
    UPDATE learners SET revision = revision + 1 WHERE id = NEW.learner_id;
END;
CREATE TRIGGER evidence_deleted AFTER DELETE ON evidence BEGIN
    UPDATE learners SET revision = revision + 1 WHERE id = OLD.learner_id;
END;
