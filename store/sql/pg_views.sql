-- The documented views in PostgreSQL's spelling (store/migrations/001_initial.sql has DuckDB's): the
-- same names, columns and rows. Made again by store/pg.py whenever a migration changes a table.
CREATE VIEW current_facts AS
SELECT id, batch_id, unit_code, year, quarter, indicator, value, approximate, reported_ratio,
       source_sheet, source_row, source_column
FROM (
    SELECT f.*, row_number() OVER (
        PARTITION BY f.unit_code, f.year, f.quarter, f.indicator ORDER BY f.batch_id DESC, f.id DESC
    ) AS rn
    FROM facts f
    JOIN batches b ON b.id = f.batch_id
    WHERE b.reverted_by IS NULL AND b.kind <> 'revert'
) ranked
WHERE rn = 1;

-- The SQL interface for analysts (a contract: name and columns stay put; see README).
CREATE VIEW indicator_values AS
SELECT c.unit_code, u.name AS unit_name, c.year, c.quarter, c.indicator, i.name AS indicator_name, c.value
FROM current_facts c
LEFT JOIN units u ON u.code = c.unit_code
LEFT JOIN indicators i ON i.code = c.indicator;

-- Member records (store/migrations/009_members.sql).
CREATE VIEW current_roster AS
SELECT id, batch_id, member_id, name, gender, birth, sector, unit_code, party, term, standing,
       start_date, end_date, end_reason, station, changed, source_sheet, source_row
FROM (
    SELECT r.*, row_number() OVER (PARTITION BY r.member_id ORDER BY r.batch_id DESC, r.id DESC) AS rn
    FROM member_roster r
    JOIN batches b ON b.id = r.batch_id
    WHERE b.reverted_by IS NULL AND b.kind <> 'revert'
) ranked
WHERE rn = 1;

CREATE VIEW members_current AS
SELECT r.member_id, r.name, r.gender, r.sector, r.unit_code, u.name AS unit_name, r.term, r.standing,
       r.start_date, r.end_date
FROM current_roster r
LEFT JOIN units u ON u.code = r.unit_code;

CREATE VIEW member_activities AS
SELECT l.member_id, l.unit_code, l.date, CAST(extract(year FROM l.date) AS smallint) AS year,
       CAST(extract(quarter FROM l.date) AS smallint) AS quarter, l.activity, l.count, l.batch_id
FROM member_log l
JOIN batches b ON b.id = l.batch_id
WHERE b.reverted_by IS NULL AND b.kind <> 'revert';
