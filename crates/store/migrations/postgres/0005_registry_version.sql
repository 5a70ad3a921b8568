-- One number that grows with every write to projects, in the same transaction: reading it
-- tells a process in one indexed lookup whether totals it keeps are still exact.

CREATE TABLE registry_version (
    id      INTEGER PRIMARY KEY,
    version BIGINT NOT NULL
);
INSERT INTO registry_version (id, version) VALUES (1, 1);

-- An oblast's projects, latest first: its page and the catalogue narrowed to it.
CREATE INDEX projects_oblast_updated ON projects (oblast, updated_at, id);
