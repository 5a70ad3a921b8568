-- Totals and counts read this narrow index instead of the table. A project's row carries
-- its whole document, so counting and summing every public project read the whole table:
-- the home page's totals took 19 s at a million projects after each write. Every column
-- the totals group, filter or sum by is here, the place first for the place pages.

CREATE INDEX IF NOT EXISTS projects_totals ON projects (
    oblast, raion, hromada, status_details, status, sector, currency, created_at,
    need_minor, secured_minor, contracted_minor
);
