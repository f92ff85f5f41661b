-- The values one batch wrote, as stored, with names: for 数据管理's "values of this batch".
SELECT f.unit_code, u.name AS unit_name, f.year, f.quarter, f.indicator, i.name AS indicator_name,
       i.unit AS measure, f.value, f.approximate, f.reported_ratio,
       f.source_sheet, f.source_row, f.source_column
FROM facts f
LEFT JOIN units u ON u.code = f.unit_code
LEFT JOIN indicators i ON i.code = f.indicator
WHERE f.batch_id = $batch
ORDER BY u.sort_order, f.year, f.quarter NULLS LAST, i.sort_order
