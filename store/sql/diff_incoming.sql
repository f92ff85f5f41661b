-- Incoming values (registered as _incoming) next to the current stored value of the same
-- (unit, year, quarter, indicator), with 'new' / 'changed' / 'unchanged'; reported_ratio for rates.
WITH touched AS (
    SELECT c.unit_code, c.year, c.quarter, c.indicator, c.value
    FROM current_facts c
    WHERE c.unit_code IN (SELECT DISTINCT unit_code FROM _incoming)
      AND c.year IN (SELECT DISTINCT year FROM _incoming)
)
SELECT i.unit_code, i.year, i.quarter, i.indicator, i.value, i.approximate,
       coalesce(ind.kind = 'ratio', false) AS reported_ratio,
       i.source_sheet, i.source_row, i.source_column,
       t.value AS old_value,
       CASE WHEN t.value IS NULL THEN 'new'
            WHEN abs(t.value - i.value) < 1e-9 THEN 'unchanged'
            ELSE 'changed' END AS change
FROM _incoming i
LEFT JOIN indicators ind ON ind.code = i.indicator
LEFT JOIN touched t
       ON t.unit_code = i.unit_code AND t.year = i.year AND t.indicator = i.indicator
      AND t.quarter IS NOT DISTINCT FROM i.quarter
