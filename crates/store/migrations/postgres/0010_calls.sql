-- Calls for proposals and the applications to them. A call is kept whole as the JSON the
-- ministry published (window, eligibility, scoring formula, oblast risk levels); each
-- application keeps the score it was given when it was submitted, with every input, and
-- later the commission's verdict with its reason.

CREATE TABLE calls (
    id         TEXT PRIMARY KEY,
    ministry   TEXT NOT NULL,
    opens_at   TIMESTAMPTZ NOT NULL,
    closes_at  TIMESTAMPTZ NOT NULL,
    document   TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    created_by TEXT NOT NULL
);

CREATE INDEX calls_by_opening ON calls (opens_at);

CREATE TABLE call_applications (
    call_id      TEXT NOT NULL REFERENCES calls (id),
    project_id   TEXT NOT NULL REFERENCES projects (id),
    submitted_at TIMESTAMPTZ NOT NULL,
    score        TEXT NOT NULL,
    verdict      TEXT,
    reason       TEXT,
    decided_at   TIMESTAMPTZ,
    decided_by   TEXT,
    PRIMARY KEY (call_id, project_id)
);

CREATE INDEX call_applications_by_project ON call_applications (project_id, submitted_at);
