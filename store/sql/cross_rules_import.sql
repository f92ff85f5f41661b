-- not_above rules (立案 ≤ 提交, 满意 ≤ 办复 …) on the figures as they will stand after an import: the incoming
-- values (registered as _rules_in) over the current stored ones. Only pairs with one side from the file and
-- the other from the store: pairs within the file are the loaders' to check, pairs within the store are old.
-- Parameters: $codes, $limits (parallel lists: value of code ≤ value of limit).
WITH rules AS (SELECT unnest($codes) AS code, unnest($limits) AS lim),
ruled AS (SELECT code FROM rules UNION SELECT lim FROM rules),
inc AS (
    SELECT unit_code::VARCHAR AS unit_code, year, quarter, indicator, value, approximate,
           source_sheet::VARCHAR AS source_sheet, source_row, source_column
    FROM _rules_in WHERE indicator IN (SELECT code FROM ruled)
),
keys AS (SELECT DISTINCT unit_code, year, quarter FROM inc),
stored AS (
    SELECT f.unit_code, f.year, f.quarter, f.indicator, f.value, f.approximate, f.batch_id,
           f.source_sheet, f.source_row, f.source_column
    FROM facts f
    JOIN batches b ON b.id = f.batch_id AND b.reverted_by IS NULL AND b.kind <> 'revert'
    WHERE f.unit_code IN (SELECT unit_code FROM keys) AND f.year IN (SELECT year FROM keys)
      AND f.indicator IN (SELECT code FROM ruled)
    QUALIFY row_number() OVER (
        PARTITION BY f.unit_code, f.year, f.quarter, f.indicator ORDER BY f.batch_id DESC, f.id DESC
    ) = 1
),
after AS (
    SELECT coalesce(i.unit_code, s.unit_code) AS unit_code, coalesce(i.year, s.year) AS year,
           coalesce(i.quarter, s.quarter) AS quarter, coalesce(i.indicator, s.indicator) AS indicator,
           coalesce(i.value, s.value) AS value, coalesce(i.approximate, s.approximate) AS approximate,
           i.indicator IS NOT NULL AS incoming,
           CASE WHEN i.indicator IS NULL THEN s.batch_id END AS batch_id,
           coalesce(i.source_sheet, s.source_sheet) AS source_sheet,
           coalesce(i.source_row, s.source_row) AS source_row,
           coalesce(i.source_column, s.source_column) AS source_column
    FROM inc i
    FULL JOIN stored s
           ON s.unit_code = i.unit_code AND s.year = i.year AND s.quarter IS NOT DISTINCT FROM i.quarter
          AND s.indicator = i.indicator
)
SELECT a.unit_code, a.year, a.quarter, a.indicator, a.value, a.incoming,
       a.batch_id, a.source_sheet, a.source_row, a.source_column,
       b.indicator AS limit_indicator, b.value AS limit_value, b.incoming AS limit_incoming,
       b.batch_id AS limit_batch_id, b.source_sheet AS limit_sheet, b.source_row AS limit_row,
       b.source_column AS limit_column, (a.approximate OR b.approximate) AS approximate,
       bt.file_name AS stored_file, u.name AS unit_name
FROM rules r
JOIN after a ON a.indicator = r.code
JOIN after b ON b.indicator = r.lim AND b.unit_code = a.unit_code AND b.year = a.year
            AND b.quarter IS NOT DISTINCT FROM a.quarter
LEFT JOIN batches bt ON bt.id = coalesce(a.batch_id, b.batch_id)
LEFT JOIN units u ON u.code = a.unit_code
WHERE a.value > b.value AND a.incoming <> b.incoming
ORDER BY coalesce(CASE WHEN a.incoming THEN a.source_row ELSE b.source_row END, 0), a.indicator
LIMIT 500
