-- not_above rules on the figures as they will stand after reverting batch $batch: for the periods the
-- batch wrote, the current values without it, where one side of a pair is a value the revert brings back
-- (it was the batch's before). Parameters: $batch, $codes, $limits (parallel lists: code ≤ limit).
WITH rules AS (SELECT unnest($codes) AS code, unnest($limits) AS lim),
ruled AS (SELECT code FROM rules UNION SELECT lim FROM rules),
keys AS (
    SELECT DISTINCT unit_code, year, quarter FROM facts
    WHERE batch_id = $batch AND indicator IN (SELECT code FROM ruled)
),
candidates AS (
    SELECT f.id, f.batch_id, f.unit_code, f.year, f.quarter, f.indicator, f.value, f.approximate,
           f.source_sheet, f.source_row, f.source_column
    FROM facts f
    JOIN batches b ON b.id = f.batch_id AND b.reverted_by IS NULL AND b.kind <> 'revert'
    JOIN keys k ON k.unit_code = f.unit_code AND k.year = f.year AND k.quarter IS NOT DISTINCT FROM f.quarter
    WHERE f.indicator IN (SELECT code FROM ruled)
),
now AS (
    SELECT * FROM candidates
    QUALIFY row_number() OVER (PARTITION BY unit_code, year, quarter, indicator ORDER BY batch_id DESC, id DESC) = 1
),
after AS (
    SELECT c.*, coalesce(n.batch_id = $batch, false) AS restored
    FROM (
        SELECT * FROM candidates WHERE batch_id <> $batch
        QUALIFY row_number() OVER (PARTITION BY unit_code, year, quarter, indicator ORDER BY batch_id DESC, id DESC) = 1
    ) c
    LEFT JOIN now n USING (unit_code, year, quarter, indicator)
)
SELECT a.unit_code, u.name AS unit_name, a.year, a.quarter, a.indicator, a.value, a.batch_id,
       ba.file_name AS file_name, a.source_sheet, a.source_row, a.source_column,
       b.indicator AS limit_indicator, b.value AS limit_value, b.batch_id AS limit_batch_id,
       bb.file_name AS limit_file, b.source_sheet AS limit_sheet, b.source_row AS limit_row,
       b.source_column AS limit_column, (a.approximate OR b.approximate) AS approximate
FROM rules r
JOIN after a ON a.indicator = r.code
JOIN after b ON b.indicator = r.lim AND b.unit_code = a.unit_code AND b.year = a.year
            AND b.quarter IS NOT DISTINCT FROM a.quarter
LEFT JOIN batches ba ON ba.id = a.batch_id
LEFT JOIN batches bb ON bb.id = b.batch_id
LEFT JOIN units u ON u.code = a.unit_code
WHERE a.value > b.value AND (a.restored OR b.restored)
ORDER BY a.unit_code, a.year, a.quarter, a.indicator
LIMIT 200
