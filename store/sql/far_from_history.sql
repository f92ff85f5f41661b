-- Incoming counts (registered as _rules_in) far above the unit's own largest stored quarter of the same
-- indicator: a typo of three extra zeros is seen before it lands. Parameters: $factor, $floor.
WITH inc AS (
    SELECT unit_code::VARCHAR AS unit_code, year, quarter, indicator, value,
           source_sheet::VARCHAR AS source_sheet, source_row, source_column
    FROM _rules_in
),
stored AS (
    SELECT f.unit_code, f.year, f.quarter, f.indicator, f.value
    FROM facts f
    JOIN batches b ON b.id = f.batch_id AND b.reverted_by IS NULL AND b.kind <> 'revert'
    WHERE f.quarter IS NOT NULL
      AND f.unit_code IN (SELECT DISTINCT unit_code FROM inc)
      AND f.indicator IN (SELECT DISTINCT indicator FROM inc)
    QUALIFY row_number() OVER (
        PARTITION BY f.unit_code, f.year, f.quarter, f.indicator ORDER BY f.batch_id DESC, f.id DESC
    ) = 1
),
history AS (
    SELECT unit_code, indicator, max(value) AS top, arg_max(year * 10 + quarter, value) AS top_period
    FROM stored GROUP BY unit_code, indicator
)
SELECT i.unit_code, u.name AS unit_name, i.year, i.quarter, i.indicator, i.value, h.top, h.top_period, i.source_sheet, i.source_row, i.source_column
FROM inc i
JOIN history h USING (unit_code, indicator)
JOIN indicators ind ON ind.code = i.indicator AND ind.kind IN ('flow', 'stock')
LEFT JOIN units u ON u.code = i.unit_code
WHERE h.top > 0 AND i.value > $factor * h.top AND i.value >= $floor
ORDER BY i.source_sheet, i.source_row, i.indicator
LIMIT 200
