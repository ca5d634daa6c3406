-- A ward created by the demo (`gdd demo`, the app's first-run button) says so,
-- so the app can show its public demo accounts and, with signing, mark
-- everything it issues as DEMO — across restarts, not just in one session.
ALTER TABLE ward ADD COLUMN demo INTEGER NOT NULL DEFAULT 0 CHECK (demo IN (0, 1));
