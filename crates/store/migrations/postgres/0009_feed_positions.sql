-- Where each register's change feed was read up to, so that the next sync asks only for
-- what changed since: Prozorro's tenders and plans feeds give an opaque offset to resume at.

CREATE TABLE feed_positions (
    feed       TEXT PRIMARY KEY,
    position   TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
