-- Per batch, what its values cover: periods and units (a revert covers what the batch it undid wrote;
-- a targets batch, the year and units of its targets).
WITH source AS (
    SELECT id, coalesce(reverts, id) AS of_batch FROM batches
),
fact_cover AS (
    SELECT s.id, count(*) AS n_values,
           list(DISTINCT {'year': f.year, 'quarter': f.quarter}) AS periods,
           list(DISTINCT f.unit_code) AS units
    FROM source s JOIN facts f ON f.batch_id = s.of_batch
    GROUP BY s.id
),
target_cover AS (
    SELECT t.batch_id AS id, count(*) AS n_values,
           list(DISTINCT {'year': t.year, 'quarter': NULL::TINYINT}) AS periods,
           list(DISTINCT t.unit_code) AS units
    FROM targets t WHERE t.batch_id IS NOT NULL
    GROUP BY t.batch_id
),
roster_cover AS (  -- a roster batch: the units of the members it added or changed (periods: none)
    SELECT s.id, count(*) AS n_values, NULL AS periods, list(DISTINCT r.unit_code) AS units
    FROM source s JOIN member_roster r ON r.batch_id = s.of_batch
    GROUP BY s.id
),
log_cover AS (  -- an activity log batch: the quarters and units of its rows
    SELECT s.id, count(*) AS n_values,
           list(DISTINCT {'year': CAST(year(l.date) AS SMALLINT), 'quarter': CAST(quarter(l.date) AS TINYINT)}) AS periods,
           list(DISTINCT l.unit_code) AS units
    FROM source s JOIN member_log l ON l.batch_id = s.of_batch
    GROUP BY s.id
)
SELECT b.id,
       coalesce(fc.n_values, tc.n_values, rc.n_values, lc.n_values, 0) AS n_values,
       coalesce(fc.periods, tc.periods, lc.periods) AS periods,
       coalesce(fc.units, tc.units, rc.units, lc.units) AS units
FROM batches b
LEFT JOIN fact_cover fc ON fc.id = b.id
LEFT JOIN target_cover tc ON tc.id = b.id
LEFT JOIN roster_cover rc ON rc.id = b.id
LEFT JOIN log_cover lc ON lc.id = b.id
ORDER BY b.id DESC
