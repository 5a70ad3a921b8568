-- The job queue: every background job (a register sync, the open-data publishing) is a row
-- that a worker claims with a lease, so that several `dream serve` processes sharing one
-- database run each job once, a crashed worker's job is taken up again when its lease ends,
-- and administrators can read what ran, what failed and why.
--
-- status is `waiting` (due at run_at, possibly after failed attempts), `running` (leased
-- until locked_until by locked_by), `succeeded` or `failed` (attempts ran out); a
-- finished job has finished_at. dedup_key, when set, allows one unfinished job per kind and
-- key, so that a schedule never piles up copies.

CREATE TABLE jobs (
    id           TEXT PRIMARY KEY,
    kind         TEXT NOT NULL,
    dedup_key    TEXT,
    payload      TEXT NOT NULL,
    status       TEXT NOT NULL,
    run_at       TIMESTAMPTZ NOT NULL,
    attempts     BIGINT NOT NULL DEFAULT 0,
    max_attempts BIGINT NOT NULL,
    locked_until TIMESTAMPTZ,
    locked_by    TEXT,
    last_error   TEXT,
    outcome      TEXT,
    created_at   TIMESTAMPTZ NOT NULL,
    finished_at  TIMESTAMPTZ
);

-- Claiming reads the unfinished jobs in the order they fall due.
CREATE INDEX jobs_due ON jobs (run_at) WHERE finished_at IS NULL;

CREATE UNIQUE INDEX jobs_one_open_per_key ON jobs (kind, dedup_key)
    WHERE finished_at IS NULL AND dedup_key IS NOT NULL;

-- The administrators' list reads the latest jobs; the schedule, a kind's last finished one.
CREATE INDEX jobs_created ON jobs (created_at);
CREATE INDEX jobs_kind_finished ON jobs (kind, finished_at);
