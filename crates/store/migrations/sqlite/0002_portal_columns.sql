-- Columns the public portal filters and totals by: money under contract, the implementer,
-- the kinds of money behind a project and how many contracting processes it has. Rows
-- written before these columns existed carry `indexed_version` 1 and are filled in from
-- their documents by `Store::migrate`.

ALTER TABLE projects ADD COLUMN contracted_minor BIGINT NOT NULL DEFAULT 0;
ALTER TABLE projects ADD COLUMN implementer TEXT;
ALTER TABLE projects ADD COLUMN finance_sources TEXT NOT NULL DEFAULT '';
ALTER TABLE projects ADD COLUMN contracts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE projects ADD COLUMN indexed_version INTEGER NOT NULL DEFAULT 1;
CREATE INDEX projects_implementer ON projects (implementer, updated_at, id);
CREATE INDEX projects_indexed_version ON projects (indexed_version);
