-- Whether any current value comes from the generated demo data.
SELECT coalesce(bool_or(b.kind = 'demo'), false) AS demo
FROM (SELECT DISTINCT batch_id FROM current_facts) c
JOIN batches b ON b.id = c.batch_id
