-- What the state registers bring in: which Prozorro tenders each project is linked to, the
-- last version of each tender as the register gave it, and a log of every sync run for
-- administrators (what changed, what failed and why).

CREATE TABLE prozorro_links (
    project_id  TEXT NOT NULL REFERENCES projects (id),
    reference   TEXT NOT NULL,
    internal_id TEXT,
    linked_at   TIMESTAMPTZ NOT NULL,
    linked_by   TEXT NOT NULL,
    PRIMARY KEY (project_id, reference)
);
CREATE INDEX prozorro_links_internal ON prozorro_links (internal_id);

CREATE TABLE prozorro_processes (
    internal_id TEXT PRIMARY KEY,
    document    TEXT NOT NULL,
    fetched_at  TIMESTAMPTZ NOT NULL
);

CREATE TABLE sync_runs (
    id          TEXT PRIMARY KEY,
    register    TEXT NOT NULL,
    started_at  TIMESTAMPTZ NOT NULL,
    finished_at TIMESTAMPTZ NOT NULL,
    new         BIGINT NOT NULL,
    changed     BIGINT NOT NULL,
    unchanged   BIGINT NOT NULL,
    failed      BIGINT NOT NULL,
    log         TEXT NOT NULL
);
CREATE INDEX sync_runs_started ON sync_runs (register, started_at);
