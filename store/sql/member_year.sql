-- One row per member serving at some time in $year (in $units; all when the list is empty): their
-- activities in the year, attendance, 履职积分 under the rule in _points (activity, sector, points;
-- sector '' = every sector), and their last activity in the year (leave and absence are not activities;
-- store.member_queries.member_year looks further back for members with none in it).
WITH serving AS (
    SELECT r.member_id, r.name, r.gender, r.sector, r.unit_code, r.term, r.standing, r.start_date, r.end_date
    FROM current_roster r
    WHERE (r.start_date IS NULL OR r.start_date <= make_date($year, 12, 31))
      AND (r.end_date IS NULL OR r.end_date >= make_date($year, 1, 1))
      AND (len($units) = 0 OR list_contains($units, r.unit_code))
),
year_rows AS (
    SELECT a.member_id, a.activity, a.count, a.date
    FROM member_activities a
    WHERE a.date BETWEEN make_date($year, 1, 1) AND make_date($year, 12, 31)
      AND a.member_id IN (SELECT member_id FROM serving)
),
year_log AS (
    SELECT member_id, activity, CAST(sum(count) AS BIGINT) AS n,  -- BIGINT: a sum is HUGEINT, Decimal in pandas
           max(date) FILTER (WHERE activity NOT IN ('meeting_leave', 'meeting_absent')) AS last_date
    FROM year_rows
    GROUP BY member_id, activity
),
scored AS (
    SELECT y.member_id, y.activity, y.n, y.last_date,
           y.n * coalesce(ps.points, pd.points, 0) AS points
    FROM year_log y
    JOIN serving s ON s.member_id = y.member_id
    LEFT JOIN _points ps ON ps.activity = y.activity AND ps.sector = s.sector AND ps.sector <> ''
    LEFT JOIN _points pd ON pd.activity = y.activity AND pd.sector = ''
),
per_member AS (
    SELECT member_id,
           CAST(sum(n) FILTER (WHERE activity NOT IN ('meeting_leave', 'meeting_absent')) AS BIGINT) AS activities,
           CAST(sum(n) FILTER (WHERE activity = 'meeting_attended') AS BIGINT) AS attended,
           CAST(sum(n) FILTER (WHERE activity = 'meeting_leave') AS BIGINT) AS on_leave,
           CAST(sum(n) FILTER (WHERE activity = 'meeting_absent') AS BIGINT) AS absent,
           sum(points) AS points, max(last_date) AS last_date
    FROM scored GROUP BY member_id
)
SELECT s.member_id, s.name, s.gender, s.sector, s.unit_code, u.name AS unit_name, s.term, s.standing,
       s.start_date, s.end_date,
       coalesce(p.activities, 0) AS activities, coalesce(p.attended, 0) AS attended,
       coalesce(p.on_leave, 0) AS on_leave, coalesce(p.absent, 0) AS absent,
       coalesce(p.points, 0) AS points, p.last_date AS last_activity
FROM serving s
LEFT JOIN per_member p ON p.member_id = s.member_id
LEFT JOIN units u ON u.code = s.unit_code
ORDER BY u.sort_order, s.unit_code, s.member_id
