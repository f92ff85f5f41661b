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
