-- Reporting progress of one year: per unit × quarter × domain, how many of the domain's importable
-- indicators (kind <> 'sum') hold a current value; a ratio also counts as reported when both of its
-- parts do (it is recomputed from them). domain NULL = all domains together; quarter NULL = whole-year
-- figures (a row only when the year has any). Each row also carries the unit's last reporting: the
-- latest created_at of the batches holding its current values, and the latest quarter it has values for.
-- Parameters: $year, $units (unit codes; the grid has a row for each, reported or not).
WITH expected AS (
    SELECT code, domain, kind, numerator, denominator FROM indicators WHERE kind <> 'sum'
),
present AS (
    SELECT DISTINCT unit_code, quarter, indicator
    FROM current_facts
    WHERE year = $year AND list_contains($units, unit_code)
),
covered AS (
    SELECT p.unit_code, p.quarter, e.code, e.domain
    FROM present p JOIN expected e ON e.code = p.indicator
    UNION
    SELECT n.unit_code, n.quarter, e.code, e.domain
    FROM expected e
    JOIN present n ON n.indicator = e.numerator
    JOIN present d ON d.indicator = e.denominator AND d.unit_code = n.unit_code
                  AND d.quarter IS NOT DISTINCT FROM n.quarter
    WHERE e.kind = 'ratio'
),
periods AS (
    SELECT unnest([1, 2, 3, 4])::TINYINT AS quarter
    UNION ALL
    SELECT NULL::TINYINT WHERE EXISTS (SELECT 1 FROM present WHERE quarter IS NULL)
),
grid AS (
    SELECT u.unit_code, p.quarter, e.domain, count(*) AS n_expected
    FROM (SELECT unnest($units)::VARCHAR AS unit_code) u CROSS JOIN periods p CROSS JOIN expected e
    GROUP BY GROUPING SETS ((u.unit_code, p.quarter, e.domain), (u.unit_code, p.quarter))
),
done AS (
    SELECT unit_code, quarter, domain, count(*) AS n_reported
    FROM covered
    GROUP BY GROUPING SETS ((unit_code, quarter, domain), (unit_code, quarter))
),
last AS (
    SELECT c.unit_code, max(b.created_at) AS last_reported_at,
           max(c.year * 10 + c.quarter) FILTER (WHERE c.quarter IS NOT NULL) AS last_yq
    FROM current_facts c
    JOIN batches b ON b.id = c.batch_id
    WHERE list_contains($units, c.unit_code)
    GROUP BY c.unit_code
)
SELECT g.unit_code, $year::INTEGER AS year, g.quarter, g.domain,
       coalesce(d.n_reported, 0)::INTEGER AS n_reported, g.n_expected::INTEGER AS n_expected,
       l.last_reported_at, (l.last_yq // 10)::INTEGER AS last_year, (l.last_yq % 10)::INTEGER AS last_quarter
FROM grid g
LEFT JOIN done d
       ON d.unit_code = g.unit_code
      AND d.quarter IS NOT DISTINCT FROM g.quarter
      AND d.domain IS NOT DISTINCT FROM g.domain
LEFT JOIN last l ON l.unit_code = g.unit_code
ORDER BY g.unit_code, g.quarter NULLS LAST, g.domain NULLS FIRST
