-- 0006: the print queue. A job is a batch of stamped permits sent to one printer with a
-- layout and a number of copies; it is marked done only when the print system says the job
-- completed, and only then do its permits count as printed (print_count, time, user, and
-- stamped → printed for originals). A failed job keeps its error and can be retried.

ALTER TABLE permits ADD COLUMN print_count INTEGER NOT NULL DEFAULT 0 CHECK (print_count >= 0);
ALTER TABLE permits ADD COLUMN last_printed_at TEXT;
ALTER TABLE permits ADD COLUMN last_printed_by INTEGER REFERENCES users(id);

-- Permits already past printing before this version were printed once.
UPDATE permits SET print_count = 1 WHERE state IN ('printed', 'delivered');

CREATE TABLE print_jobs (
    id              INTEGER PRIMARY KEY,
    printer         TEXT NOT NULL,
    layout          TEXT NOT NULL CHECK (layout IN ('a4-4', 'a5-2', 'a6')),
    copies          INTEGER NOT NULL CHECK (copies BETWEEN 1 AND 99),
    state           TEXT NOT NULL CHECK (state IN ('queued', 'sent', 'done', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    last_error_code TEXT,
    last_error      TEXT,
    system_job      TEXT,                  -- the print system's job id of the last attempt
    output_file     TEXT,                  -- the rendered PDF that was sent
    created_by      INTEGER NOT NULL REFERENCES users(id),
    created_at      TEXT NOT NULL,
    finished_at     TEXT
);
CREATE INDEX print_jobs_state ON print_jobs(state, id);

CREATE TABLE print_job_items (
    job_id     INTEGER NOT NULL REFERENCES print_jobs(id),
    position   INTEGER NOT NULL,           -- order on the sheets
    permit_id  INTEGER NOT NULL REFERENCES permits(id),
    reprint    INTEGER NOT NULL CHECK (reprint >= 0),  -- 0 = original, n = n-th reprint
    PRIMARY KEY (job_id, position),
    UNIQUE (job_id, permit_id)
) WITHOUT ROWID;
CREATE INDEX print_job_items_permit ON print_job_items(permit_id);
