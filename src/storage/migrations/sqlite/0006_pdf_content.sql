-- What an issued PDF shows, as a fingerprint (issue 10): asking a share link for its PDF
-- again while the portfolio is unchanged hands out the PDF already registered (same bytes,
-- same code), instead of registering a new one per request.
ALTER TABLE generated_pdfs ADD COLUMN content_key TEXT CHECK (content_key IS NULL OR length(content_key) = 64);
CREATE INDEX generated_pdfs_by_content ON generated_pdfs(learner_id, content_key);
