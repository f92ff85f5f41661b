-- County figures as the activity log gives them, per unit, for $year (and $quarter, or the whole
-- year when it is NULL), beside nothing else: the page puts the units' own figures next to them.
-- Only units whose members' activities are logged in the period appear. _derive maps an activity
-- to the indicator its count is (activity, indicator); member_participations sums the participation
-- types (_participation).
WITH rows AS (
    SELECT a.unit_code, a.activity, a.count
    FROM member_activities a
    WHERE a.year = $year AND ($quarter IS NULL OR a.quarter = $quarter)
)
SELECT r.unit_code, d.indicator, CAST(sum(r.count) AS DOUBLE) AS value
FROM rows r JOIN _derive d ON d.activity = r.activity
GROUP BY r.unit_code, d.indicator
UNION ALL
SELECT r.unit_code, 'member_participations' AS indicator, CAST(sum(r.count) AS DOUBLE) AS value
FROM rows r WHERE r.activity IN (SELECT activity FROM _participation)
GROUP BY r.unit_code
ORDER BY 1, 2
