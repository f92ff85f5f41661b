-- Version 1: units, the indicator dictionary, batches (one per import) and facts (append-only history).
CREATE SEQUENCE batch_ids START 1;
CREATE SEQUENCE fact_ids START 1;

CREATE TABLE meta (
    key   VARCHAR PRIMARY KEY,
    value VARCHAR
);

CREATE TABLE units (
    code       VARCHAR PRIMARY KEY,       -- 6-digit administrative division code (GB/T 2260)
    name       VARCHAR NOT NULL,
    aliases    VARCHAR[] NOT NULL DEFAULT [],
    level      VARCHAR NOT NULL,          -- city | district | county | county_city
    sort_order INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE indicators (
    code        VARCHAR PRIMARY KEY,
    name        VARCHAR NOT NULL,
    domain      VARCHAR NOT NULL,
    unit        VARCHAR NOT NULL,
    kind        VARCHAR NOT NULL,         -- flow | stock | ratio | sum
    aliases     VARCHAR[] NOT NULL DEFAULT [],
    numerator   VARCHAR,
    denominator VARCHAR,
    not_above   VARCHAR,
    parts       VARCHAR[] NOT NULL DEFAULT [],
    description VARCHAR NOT NULL DEFAULT '',
    sort_order  INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE batches (
    id          INTEGER PRIMARY KEY DEFAULT nextval('batch_ids'),
    kind        VARCHAR NOT NULL,         -- import | revert | demo
    file_name   VARCHAR,
    sha256      VARCHAR,
    size_bytes  BIGINT,
    user_name   VARCHAR,
    created_at  TIMESTAMP NOT NULL DEFAULT current_timestamp,
    reverts     INTEGER,                  -- for kind = revert: the batch it undid
    reverted_by INTEGER,                  -- set when a later revert batch undid this one
    n_new       INTEGER NOT NULL DEFAULT 0,
    n_changed   INTEGER NOT NULL DEFAULT 0,
    n_unchanged INTEGER NOT NULL DEFAULT 0,
    note        VARCHAR
);

-- No primary key or index on facts: DuckDB bulk-appends fastest without them, and the history is
-- append-only (a value imported again is a new row; the current one is chosen by current_facts).
CREATE TABLE facts (
    id             BIGINT NOT NULL DEFAULT nextval('fact_ids'),
    batch_id       INTEGER NOT NULL,
    unit_code      VARCHAR NOT NULL,
    year           SMALLINT NOT NULL,
    quarter        TINYINT,               -- 1-4, or NULL for a whole-year figure
    indicator      VARCHAR NOT NULL,
    value          DOUBLE NOT NULL,
    approximate    BOOLEAN NOT NULL DEFAULT false,   -- 1800余 / 约1800
    reported_ratio BOOLEAN NOT NULL DEFAULT false,   -- a rate reported without its parts
    source_sheet   VARCHAR,
    source_row     INTEGER,
    source_column  VARCHAR
);

-- A cumulative upload turned into quarterly flows with stored values of these batches.
CREATE TABLE batch_dependencies (
    batch_id   INTEGER NOT NULL,
    depends_on INTEGER NOT NULL
);

-- The current value of every (unit, year, quarter, indicator): the latest row of a batch not reverted.
CREATE VIEW current_facts AS
SELECT * EXCLUDE (rn) FROM (
    SELECT f.*, row_number() OVER (
        PARTITION BY f.unit_code, f.year, f.quarter, f.indicator ORDER BY f.batch_id DESC, f.id DESC
    ) AS rn
    FROM facts f
    JOIN batches b ON b.id = f.batch_id
    WHERE b.reverted_by IS NULL AND b.kind <> 'revert'
)
WHERE rn = 1;

-- The SQL interface for analysts (a contract: name and columns stay put; see README).
CREATE VIEW indicator_values AS
SELECT c.unit_code, u.name AS unit_name, c.year, c.quarter, c.indicator, i.name AS indicator_name, c.value
FROM current_facts c
LEFT JOIN units u ON u.code = c.unit_code
LEFT JOIN indicators i ON i.code = c.indicator;
