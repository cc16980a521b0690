-- The learner's next course position, kept in the learner row: a new course takes it in the
-- same statement that bumps the revision, instead of reading the highest `seq` of the
-- learner's courses (a range read that, under PostgreSQL's serializable isolation, made
-- concurrent writers of different learners abort each other). NULL until the first course
-- written after this migration, which computes it once from the courses.
ALTER TABLE learners ADD COLUMN course_seq INTEGER;
