-- The incoming values (registered as _incoming) as fact rows, when none of them is stored yet
-- (incoming_stored.sql found nothing): the shape diff_incoming.sql gives, every change 'new'.
SELECT i.unit_code, i.year, i.quarter, i.indicator, i.value, i.approximate,
       coalesce(ind.kind = 'ratio', false) AS reported_ratio,
       i.source_sheet, i.source_row, i.source_column
FROM _incoming i
LEFT JOIN indicators ind ON ind.code = i.indicator
