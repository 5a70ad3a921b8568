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
    seq              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
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

CREATE FUNCTION tally_project_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        INSERT INTO project_tally_changes (oblast, raion, hromada, status, status_details,
            sector, currency, month, projects, need_minor, secured_minor, contracted_minor)
        VALUES (OLD.oblast, COALESCE(OLD.raion, ''), COALESCE(OLD.hromada, ''), OLD.status,
            OLD.status_details, OLD.sector, OLD.currency,
            to_char(OLD.created_at AT TIME ZONE 'UTC', 'YYYY-MM'),
            -1, -OLD.need_minor, -OLD.secured_minor, -OLD.contracted_minor);
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        INSERT INTO project_tally_changes (oblast, raion, hromada, status, status_details,
            sector, currency, month, projects, need_minor, secured_minor, contracted_minor)
        VALUES (NEW.oblast, COALESCE(NEW.raion, ''), COALESCE(NEW.hromada, ''), NEW.status,
            NEW.status_details, NEW.sector, NEW.currency,
            to_char(NEW.created_at AT TIME ZONE 'UTC', 'YYYY-MM'),
            1, NEW.need_minor, NEW.secured_minor, NEW.contracted_minor);
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER projects_tally_insert_delete AFTER INSERT OR DELETE ON projects
    FOR EACH ROW EXECUTE FUNCTION tally_project_change();

CREATE TRIGGER projects_tally_update AFTER UPDATE ON projects
    FOR EACH ROW
    WHEN ((OLD.oblast, OLD.raion, OLD.hromada, OLD.status, OLD.status_details, OLD.sector,
           OLD.currency, OLD.created_at, OLD.need_minor, OLD.secured_minor,
           OLD.contracted_minor)
          IS DISTINCT FROM
          (NEW.oblast, NEW.raion, NEW.hromada, NEW.status, NEW.status_details, NEW.sector,
           NEW.currency, NEW.created_at, NEW.need_minor, NEW.secured_minor,
           NEW.contracted_minor))
    EXECUTE FUNCTION tally_project_change();

-- The projects already written count as one change each; the first fold tallies them.
INSERT INTO project_tally_changes (oblast, raion, hromada, status, status_details, sector,
    currency, month, projects, need_minor, secured_minor, contracted_minor)
SELECT oblast, COALESCE(raion, ''), COALESCE(hromada, ''), status, status_details, sector,
    currency, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM'), 1, need_minor,
    secured_minor, contracted_minor
FROM projects;
