-- The learner's next course position, kept in the learner row: a new course takes it in the
-- same statement that bumps the revision, instead of reading the highest `seq` of the
-- learner's courses (a range read whose predicate locks made concurrent writers of different
-- learners abort each other at SERIALIZABLE). NULL until the first course written after this
-- migration, which computes it once from the courses.
ALTER TABLE learners ADD COLUMN IF NOT EXISTS course_seq BIGINT;
