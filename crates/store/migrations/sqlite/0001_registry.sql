-- The registry: territories of the KATOTTG codifier, organisations, objects and projects,
-- each row holding its indexed columns and its whole document, and the revisions table
-- that keeps every change to any of them.

CREATE TABLE territories (
    code     TEXT PRIMARY KEY,
    name     TEXT NOT NULL,
    category TEXT NOT NULL,
    parent   TEXT REFERENCES territories (code),
    oblast   TEXT NOT NULL,
    raion    TEXT,
    hromada  TEXT
);
CREATE INDEX territories_parent ON territories (parent);

CREATE TABLE organisations (
    id         TEXT PRIMARY KEY,
    name_uk    TEXT NOT NULL,
    kind       TEXT NOT NULL,
    territory  TEXT NOT NULL REFERENCES territories (code),
    oblast     TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    revision   INTEGER NOT NULL,
    document   TEXT NOT NULL
);
CREATE INDEX organisations_kind ON organisations (kind);
CREATE INDEX organisations_oblast ON organisations (oblast);

CREATE TABLE objects (
    id               TEXT PRIMARY KEY,
    title_uk         TEXT NOT NULL,
    status           TEXT NOT NULL,
    holder           TEXT NOT NULL,
    katottg          TEXT NOT NULL REFERENCES territories (code),
    oblast           TEXT NOT NULL,
    damage_record_id TEXT,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    revision         INTEGER NOT NULL,
    document         TEXT NOT NULL
);
CREATE INDEX objects_holder ON objects (holder);
CREATE INDEX objects_oblast ON objects (oblast);

CREATE TABLE projects (
    id             TEXT PRIMARY KEY,
    title_uk       TEXT NOT NULL,
    title_en       TEXT,
    status         TEXT NOT NULL,
    status_details TEXT NOT NULL,
    sector         TEXT NOT NULL,
    subsector      TEXT,
    purpose        TEXT NOT NULL,
    project_type   TEXT NOT NULL,
    katottg        TEXT NOT NULL REFERENCES territories (code),
    oblast         TEXT NOT NULL,
    raion          TEXT,
    hromada        TEXT,
    initiator      TEXT NOT NULL,
    initiator_name TEXT NOT NULL,
    currency       TEXT NOT NULL,
    need_minor     INTEGER NOT NULL,
    secured_minor  INTEGER NOT NULL,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    revision       INTEGER NOT NULL,
    document       TEXT NOT NULL
);
CREATE INDEX projects_updated ON projects (updated_at, id);
CREATE INDEX projects_oblast_sector ON projects (oblast, sector, updated_at, id);
CREATE INDEX projects_sector ON projects (sector, updated_at, id);
CREATE INDEX projects_status ON projects (status, updated_at, id);
CREATE INDEX projects_status_details ON projects (status_details, updated_at, id);
CREATE INDEX projects_raion ON projects (raion, updated_at, id);
CREATE INDEX projects_hromada ON projects (hromada, updated_at, id);
CREATE INDEX projects_initiator ON projects (initiator, updated_at, id);
CREATE INDEX projects_need ON projects (need_minor, id);
CREATE INDEX projects_created ON projects (created_at, id);

-- Full-text search over both languages' titles and descriptions, the place and the
-- initiator, kept in the same transaction as the project row.
CREATE VIRTUAL TABLE project_search USING fts5 (
    id UNINDEXED,
    body,
    tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TABLE revisions (
    entity     TEXT NOT NULL,
    entity_id  TEXT NOT NULL,
    number     INTEGER NOT NULL,
    author     TEXT NOT NULL,
    reason     TEXT NOT NULL,
    created_at TEXT NOT NULL,
    patch      TEXT NOT NULL,
    PRIMARY KEY (entity, entity_id, number)
);
