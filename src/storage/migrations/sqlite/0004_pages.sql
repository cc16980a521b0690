-- The language of the learner's own pages, chosen with the header's switch or in the settings.
-- Kept apart from `lang` (the portfolio's language, part of the document): importing a
-- document in English must not turn a French learner's pages into English.
-- Not in the revision triggers: it changes no portfolio.
ALTER TABLE learners ADD COLUMN ui_lang TEXT CHECK (ui_lang IN ('fr', 'en'));
