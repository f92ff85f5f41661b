-- Version 9: member records (委员履职档案) — the roster with every change kept, the activity log, and
-- the points rule an admin set in the store (empty: data/member_points.csv is the rule).
-- Both tables are append-only like facts: a roster import writes a new version of each member it adds
-- or changes, an activity import its rows; the current roster and the log skip reverted batches.
CREATE SEQUENCE roster_ids START 1;
CREATE SEQUENCE member_log_ids START 1;

CREATE TABLE member_roster (
    id           BIGINT NOT NULL DEFAULT nextval('roster_ids'),
    batch_id     INTEGER NOT NULL,
    member_id    VARCHAR NOT NULL,   -- the committee's own number, or one made from name + unit + birth
    name         VARCHAR NOT NULL,
    gender       VARCHAR,
    birth        VARCHAR,            -- as given: 1965-03 or 1965-03-12
    sector       VARCHAR,            -- 界别, full name (民盟 is stored as 中国民主同盟)
    unit_code    VARCHAR NOT NULL,   -- the committee the member sits on
    party        VARCHAR,
    term         VARCHAR,            -- 届次: 第十六届
    standing     BOOLEAN NOT NULL DEFAULT false,
    start_date   DATE,
    end_date     DATE,               -- resigned, removed, moved away or the term's end
    end_reason   VARCHAR,
    station      VARCHAR,            -- 委员工作站
    changed      VARCHAR NOT NULL DEFAULT '',   -- fields this version changed, comma-separated ('' = new)
    source_sheet VARCHAR,
    source_row   INTEGER
);

CREATE TABLE member_log (
    id            BIGINT NOT NULL DEFAULT nextval('member_log_ids'),
    batch_id      INTEGER NOT NULL,
    member_id     VARCHAR NOT NULL,
    unit_code     VARCHAR NOT NULL,  -- the member's unit when the activity was imported
    date          DATE NOT NULL,     -- a quarter's count: the quarter's last day (dated = false)
    dated         BOOLEAN NOT NULL DEFAULT true,
    activity      VARCHAR NOT NULL,  -- data/activity_types.csv code
    count         INTEGER NOT NULL,
    note          VARCHAR,
    source_sheet  VARCHAR,
    source_row    INTEGER,
    source_column VARCHAR
);

CREATE TABLE member_points (
    activity VARCHAR NOT NULL,
    sector   VARCHAR NOT NULL DEFAULT '',  -- '' = every sector
    points   DOUBLE NOT NULL,
    PRIMARY KEY (activity, sector)
);

-- Each member's record as it stands: the latest version of a batch not reverted.
CREATE VIEW current_roster AS
SELECT * EXCLUDE (rn) FROM (
    SELECT r.*, row_number() OVER (PARTITION BY r.member_id ORDER BY r.batch_id DESC, r.id DESC) AS rn
    FROM member_roster r
    JOIN batches b ON b.id = r.batch_id
    WHERE b.reverted_by IS NULL AND b.kind <> 'revert'
)
WHERE rn = 1;

-- The SQL interface for analysts (a contract, like indicator_values: see README).
CREATE VIEW members_current AS
SELECT r.member_id, r.name, r.gender, r.sector, r.unit_code, u.name AS unit_name, r.term, r.standing,
       r.start_date, r.end_date
FROM current_roster r
LEFT JOIN units u ON u.code = r.unit_code;

CREATE VIEW member_activities AS
SELECT l.member_id, l.unit_code, l.date, CAST(year(l.date) AS SMALLINT) AS year,
       CAST(quarter(l.date) AS SMALLINT) AS quarter, l.activity, l.count, l.batch_id
FROM member_log l
JOIN batches b ON b.id = l.batch_id
WHERE b.reverted_by IS NULL AND b.kind <> 'revert';
