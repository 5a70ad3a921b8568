-- Totals and counts read this narrow index instead of the table (an index-only scan once
-- the table is vacuumed): every column the totals group, filter or sum by, the place first
-- for the place pages. At a million projects the home page's totals read the whole table.

CREATE INDEX IF NOT EXISTS projects_totals ON projects (
    oblast, raion, hromada, status_details, status, sector
) INCLUDE (currency, created_at, need_minor, secured_minor, contracted_minor);
