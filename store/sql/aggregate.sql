-- Indicator values by kind for each requested window, per unit and over all the given units.
-- Parameters: $labels, $years, $q_from, $q_to, $whole_year (parallel lists, one entry per window),
--             $units (unit codes to include), $indicators (codes to return; empty list = all),
--             $needed (codes whose facts are read: the returned ones and their parts; empty list = all).
-- Rules (DOMAIN.md): flows add up over quarters and units; a stock is its last reported quarter in the
-- window, and units add up; a whole-year figure wins over quarters for a whole year; a ratio is
-- recomputed from its summed parts (never averaged); a reported rate without parts is shown for its
-- own unit and exact period only, and never aggregated; missing stays missing (no row), never zero.
WITH windows AS (
    SELECT unnest($labels) AS label, unnest($years) AS year, unnest($q_from) AS q_from,
           unnest($q_to) AS q_to, unnest($whole_year) AS whole_year
),
wanted_units AS (SELECT unnest($units) AS unit_code),
-- current_facts (001_initial.sql), restricted before its window to the years, units and indicators asked
-- for: the partitions are per unit, year, quarter and indicator, so the result is the same, only faster.
current AS (
    SELECT f.unit_code, f.year, f.quarter, f.indicator, f.value, f.approximate
    FROM facts f
    JOIN batches b ON b.id = f.batch_id AND b.reverted_by IS NULL AND b.kind <> 'revert'
    WHERE f.year IN (SELECT year FROM windows)
      AND f.unit_code IN (SELECT unit_code FROM wanted_units)
      AND (len($needed) = 0 OR f.indicator IN (SELECT unnest($needed)))
    QUALIFY row_number() OVER (
        PARTITION BY f.unit_code, f.year, f.quarter, f.indicator ORDER BY f.batch_id DESC, f.id DESC
    ) = 1
),
facts AS (
    SELECT w.label, w.q_from, w.q_to, w.whole_year, c.unit_code, c.indicator, i.kind, c.quarter, c.value,
           c.approximate
    FROM windows w
    JOIN current c
      ON c.year = w.year
     AND ((c.quarter BETWEEN w.q_from AND w.q_to) OR (c.quarter IS NULL AND w.whole_year))
    JOIN indicators i ON i.code = c.indicator
),
quarterly AS (
    SELECT label, unit_code, indicator,
           CASE WHEN any_value(kind) = 'stock' THEN arg_max(value, quarter) ELSE sum(value) END AS value,
           bool_or(approximate) AS approximate
    FROM facts
    WHERE quarter IS NOT NULL AND kind IN ('flow', 'stock')
    GROUP BY label, unit_code, indicator
),
annual AS (
    SELECT label, unit_code, indicator, value, approximate
    FROM facts
    WHERE quarter IS NULL AND kind IN ('flow', 'stock')
),
base AS (
    SELECT label, unit_code, indicator,
           coalesce(a.value, q.value) AS value,
           coalesce(a.approximate, q.approximate) AS approximate
    FROM quarterly q
    FULL OUTER JOIN annual a USING (label, unit_code, indicator)
),
sums AS (
    SELECT b.label, b.unit_code, s.code AS indicator, sum(b.value) AS value, bool_or(b.approximate) AS approximate
    FROM (SELECT code, unnest(parts) AS part FROM indicators WHERE kind = 'sum') s
    JOIN base b ON b.indicator = s.part
    GROUP BY b.label, b.unit_code, s.code
),
ratio_parts AS (
    SELECT n.label, n.unit_code, r.code AS indicator, n.value AS num, d.value AS den,
           (n.approximate OR d.approximate) AS approximate,
           CASE WHEN r.unit = '%' THEN 100.0 ELSE 1.0 END AS scale
    FROM indicators r
    JOIN base n ON n.indicator = r.numerator
    JOIN base d ON d.indicator = r.denominator AND d.label = n.label AND d.unit_code = n.unit_code
    WHERE r.kind = 'ratio'
),
reported AS (
    SELECT f.label, f.unit_code, f.indicator, f.value, f.approximate
    FROM facts f
    WHERE f.kind = 'ratio'
      AND ((f.quarter IS NULL AND f.whole_year) OR (f.quarter = f.q_from AND f.q_from = f.q_to AND NOT f.whole_year))
      AND NOT EXISTS (
          SELECT 1 FROM ratio_parts p
          WHERE p.label = f.label AND p.unit_code = f.unit_code AND p.indicator = f.indicator
      )
),
per_unit AS (
    SELECT label, unit_code, indicator, value, approximate, false AS reported,
           NULL::DOUBLE AS numerator, NULL::DOUBLE AS denominator
    FROM base
    UNION ALL
    SELECT label, unit_code, indicator, value, approximate, false, NULL, NULL FROM sums
    UNION ALL
    SELECT label, unit_code, indicator, CASE WHEN den = 0 THEN NULL ELSE num / den * scale END,
           approximate, false, num, den
    FROM ratio_parts
    UNION ALL
    SELECT label, unit_code, indicator, value, approximate, true, NULL, NULL FROM reported
),
totals AS (
    SELECT label, NULL::VARCHAR AS unit_code, indicator, sum(value) AS value, bool_or(approximate) AS approximate,
           false AS reported, NULL::DOUBLE AS numerator, NULL::DOUBLE AS denominator, count(*) AS n_units
    FROM (SELECT * FROM base UNION ALL SELECT * FROM sums)
    GROUP BY label, indicator
    UNION ALL
    SELECT label, NULL, indicator,
           CASE WHEN sum(den) = 0 THEN NULL ELSE sum(num) / sum(den) * any_value(scale) END,
           bool_or(approximate), false, sum(num), sum(den), count(*)
    FROM ratio_parts
    GROUP BY label, indicator
)
SELECT * FROM (
    SELECT *, 1 AS n_units FROM per_unit
    UNION ALL BY NAME
    SELECT * FROM totals
)
WHERE len($indicators) = 0 OR indicator IN (SELECT unnest($indicators))
ORDER BY label, indicator, unit_code NULLS FIRST
