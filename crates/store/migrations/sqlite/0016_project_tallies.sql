-- Counts and sums of projects kept exact on every write, so that the totals of the whole
-- registry or of one oblast need no pass over its projects (seconds at a million).
--
-- Every insert, delete or change of a counted column adds a row to project_tally_changes
-- (the project's columns, with +1 or -1 and its money with the same sign), in the writer's
-- own transaction: writers only append, so they never wait for each other here. From time
-- to time the changes are folded into project_tallies, which holds per dimension the
-- projects of each key, oblast, stage and currency. A total is the tallies plus the changes
-- not yet folded, read in one statement. '' stands for a missing value (a project in no
-- raion).

CREATE TABLE project_tallies (
    dimension        TEXT NOT NULL,
    oblast           TEXT NOT NULL,
    key              TEXT NOT NULL,
    status_details   TEXT NOT NULL,
    currency         TEXT NOT NULL,
    projects         BIGINT NOT NULL,
    need_minor       BIGINT NOT NULL,
    secured_minor    BIGINT NOT NULL,
    contracted_minor BIGINT NOT NULL,
    PRIMARY KEY (dimension, oblast, key, status_details, currency)
);

CREATE TABLE project_tally_changes (
    seq              INTEGER PRIMARY KEY,
    oblast           TEXT NOT NULL,
    raion            TEXT NOT NULL,
    hromada          TEXT NOT NULL,
    status           TEXT NOT NULL,
    status_details   TEXT NOT NULL,
    sector           TEXT NOT NULL,
    currency         TEXT NOT NULL,
    month            TEXT NOT NULL,
    projects         BIGINT NOT NULL,
    need_minor       BIGINT NOT NULL,
    secured_minor    BIGINT NOT NULL,
    contracted_minor BIGINT NOT NULL
);

CREATE TRIGGER projects_tally_insert AFTER INSERT ON projects
BEGIN
    INSERT INTO project_tally_changes (oblast, raion, hromada, status, status_details, sector,
        currency, month, projects, need_minor, secured_minor, contracted_minor)
    VALUES (NEW.oblast, COALESCE(NEW.raion, ''), COALESCE(NEW.hromada, ''), NEW.status,
        NEW.status_details, NEW.sector, NEW.currency, substr(NEW.created_at, 1, 7),
        1, NEW.need_minor, NEW.secured_minor, NEW.contracted_minor);
END;

CREATE TRIGGER projects_tally_delete AFTER DELETE ON projects
BEGIN
    INSERT INTO project_tally_changes (oblast, raion, hromada, status, status_details, sector,
        currency, month, projects, need_minor, secured_minor, contracted_minor)
    VALUES (OLD.oblast, COALESCE(OLD.raion, ''), COALESCE(OLD.hromada, ''), OLD.status,
        OLD.status_details, OLD.sector, OLD.currency, substr(OLD.created_at, 1, 7),
        -1, -OLD.need_minor, -OLD.secured_minor, -OLD.contracted_minor);
END;

CREATE TRIGGER projects_tally_update AFTER UPDATE ON projects
WHEN OLD.oblast IS NOT NEW.oblast OR OLD.raion IS NOT NEW.raion
    OR OLD.hromada IS NOT NEW.hromada OR OLD.status IS NOT NEW.status
    OR OLD.status_details IS NOT NEW.status_details OR OLD.sector IS NOT NEW.sector
    OR OLD.currency IS NOT NEW.currency OR OLD.created_at IS NOT NEW.created_at
    OR OLD.need_minor IS NOT NEW.need_minor OR OLD.secured_minor IS NOT NEW.secured_minor
    OR OLD.contracted_minor IS NOT NEW.contracted_minor
BEGIN
    INSERT INTO project_tally_changes (oblast, raion, hromada, status, status_details, sector,
        currency, month, projects, need_minor, secured_minor, contracted_minor)
    VALUES (OLD.oblast, COALESCE(OLD.raion, ''), COALESCE(OLD.hromada, ''), OLD.status,
        OLD.status_details, OLD.sector, OLD.currency, substr(OLD.created_at, 1, 7),
        -1, -OLD.need_minor, -OLD.secured_minor, -OLD.contracted_minor),
    (NEW.oblast, COALESCE(NEW.raion, ''), COALESCE(NEW.hromada, ''), NEW.status,
        NEW.status_details, NEW.sector, NEW.currency, substr(NEW.created_at, 1, 7),
        1, NEW.need_minor, NEW.secured_minor, NEW.contracted_minor);
END;

-- The projects already written count as one change each; the first fold tallies them.
INSERT INTO project_tally_changes (oblast, raion, hromada, status, status_details, sector,
    currency, month, projects, need_minor, secured_minor, contracted_minor)
SELECT oblast, COALESCE(raion, ''), COALESCE(hromada, ''), status, status_details, sector,
    currency, substr(created_at, 1, 7), 1, need_minor, secured_minor, contracted_minor
FROM projects;
