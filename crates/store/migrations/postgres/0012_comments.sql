-- The conversation about a project between its initiator, its reviewers and the
-- commission: one row per comment, never edited or deleted, in the order written. The
-- account that wrote it is kept; the bootstrapping administrator token has none.

CREATE TABLE project_comments (
    id         TEXT PRIMARY KEY,
    project_id TEXT NOT NULL REFERENCES projects (id),
    user_id    TEXT REFERENCES users (id),
    author     TEXT NOT NULL,
    body       TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);

CREATE INDEX project_comments_by_project ON project_comments (project_id, created_at);
