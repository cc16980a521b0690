-- A certificate's last valid day (issue 11): cloud and safety certifications expire.
ALTER TABLE attestations ADD COLUMN expires_on TEXT;
-- A legitimacy link may show expired certificates too (marked), when the learner asks.
ALTER TABLE shares ADD COLUMN include_expired INTEGER NOT NULL DEFAULT 0 CHECK (include_expired IN (0, 1));
