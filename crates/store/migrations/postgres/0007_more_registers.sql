-- Three more state registers. The Unified State Register of legal entities (EDR) gives each
-- organisation's legal names, address, status and registration date; the Register of
-- Damaged and Destroyed Property (RDDP) gives an object's damage record; the treasury gives
-- the payments made under a project's contract, which add up to the project's paid total.
-- Where a register disagrees with what a person entered, the person's value stays and a
-- conflict waits here for someone to resolve it.

-- The latest EDR record of each EDRPOU code, as the connector mapped it.
CREATE TABLE edr_records (
    code       TEXT PRIMARY KEY,
    document   TEXT NOT NULL,
    fetched_at TIMESTAMPTZ NOT NULL
);

-- Which damage record each object is linked to, and who linked it.
CREATE TABLE damage_links (
    object_id TEXT PRIMARY KEY REFERENCES objects (id),
    record_id TEXT NOT NULL,
    linked_at TIMESTAMPTZ NOT NULL,
    linked_by TEXT NOT NULL
);
CREATE INDEX damage_links_record ON damage_links (record_id);

-- The latest version of each damage record, as the connector mapped it.
CREATE TABLE damage_records (
    record_id  TEXT PRIMARY KEY,
    document   TEXT NOT NULL,
    fetched_at TIMESTAMPTZ NOT NULL
);

-- Whose payments under which contract are a project's: the payer's EDRPOU code and the
-- contract's number as the treasury writes it.
CREATE TABLE treasury_links (
    project_id      TEXT NOT NULL REFERENCES projects (id),
    payer_edrpou    TEXT NOT NULL,
    contract_number TEXT NOT NULL,
    linked_at       TIMESTAMPTZ NOT NULL,
    linked_by       TEXT NOT NULL,
    PRIMARY KEY (project_id, payer_edrpou, contract_number)
);

-- A project's payments as the treasury last gave them, amounts in kopiykas.
CREATE TABLE project_transactions (
    project_id       TEXT NOT NULL REFERENCES projects (id),
    transaction_id   TEXT NOT NULL,
    doc_date         DATE NOT NULL,
    amount_minor     BIGINT NOT NULL,
    currency         TEXT NOT NULL,
    payer_edrpou     TEXT NOT NULL,
    recipient_edrpou TEXT NOT NULL,
    payment_details  TEXT NOT NULL,
    contract_number  TEXT,
    fetched_at       TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (project_id, transaction_id)
);

-- The sum of a project's payments, recomputed from project_transactions at every sync.
ALTER TABLE projects ADD COLUMN paid_minor BIGINT NOT NULL DEFAULT 0;

-- A register's value that differs from what a person entered: `field` is the JSON pointer
-- of the value in the record (`/name/uk` of organisation `record_key`). At most one
-- conflict per register, record and field is open; a resolved one keeps who chose what.
CREATE TABLE register_conflicts (
    id             TEXT PRIMARY KEY,
    register       TEXT NOT NULL,
    record_key     TEXT NOT NULL,
    field          TEXT NOT NULL,
    our_value      TEXT,
    register_value TEXT NOT NULL,
    first_seen     TIMESTAMPTZ NOT NULL,
    last_seen      TIMESTAMPTZ NOT NULL,
    resolved_at    TIMESTAMPTZ,
    resolved_by    TEXT,
    resolution     TEXT
);
CREATE UNIQUE INDEX register_conflicts_open ON register_conflicts (register, record_key, field)
    WHERE resolved_at IS NULL;
CREATE INDEX register_conflicts_record ON register_conflicts (register, record_key, field);
