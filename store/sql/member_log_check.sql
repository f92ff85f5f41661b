-- Each incoming activity row (_log_in) with its member resolved against the current roster, and the
-- first problem found in it (NULL when none) with its Chinese message. A row without a number is
-- the roster's member of that name, when exactly one member has it.
WITH roster AS (
    SELECT member_id, name, unit_code, start_date, end_date FROM current_roster
),
by_name AS (
    SELECT name, min(member_id) AS member_id, count(*) AS n FROM roster GROUP BY name
),
resolved AS (
    SELECT i.*,
           CASE WHEN i.member_id <> '' THEN i.member_id WHEN bn.n = 1 THEN bn.member_id END AS mid,
           coalesce(bn.n, 0) AS name_count
    FROM _log_in i
    LEFT JOIN by_name bn ON i.member_id = '' AND bn.name = i.name
),
joined AS (
    SELECT r.*, ro.name AS roster_name, ro.unit_code, ro.start_date, ro.end_date,
           CASE WHEN r.dated THEN r.date ELSE CAST(date_trunc('quarter', r.date) AS DATE) END AS first_day
    FROM resolved r
    LEFT JOIN roster ro ON ro.member_id = r.mid
),
stored AS (
    SELECT l.member_id, l.date, l.activity, l.count, min(l.batch_id) AS batch_id
    FROM member_log l
    JOIN batches b ON b.id = l.batch_id
    WHERE b.reverted_by IS NULL AND b.kind <> 'revert'
      AND l.member_id IN (SELECT mid FROM resolved WHERE mid IS NOT NULL)
      -- only a stored row on an incoming date can match (the join below is on date): a year's file
      -- reads that year's row groups, not the whole log (18 M rows in a province)
      AND l.date BETWEEN (SELECT min(date) FROM _log_in) AND (SELECT max(date) FROM _log_in)
    GROUP BY l.member_id, l.date, l.activity, l.count
),
checked AS (
    SELECT j.*, s.batch_id AS stored_batch, sb.file_name AS stored_file,
        CASE
            WHEN j.mid IS NULL AND j.name_count > 1 THEN 'ambiguous_name'
            WHEN j.roster_name IS NULL THEN 'unknown_member'
            WHEN j.name <> '' AND j.member_id <> '' AND j.name <> j.roster_name THEN 'name_mismatch'
            WHEN j.date < j.start_date OR j.first_day > j.end_date THEN 'outside_term'
            WHEN s.batch_id IS NOT NULL THEN 'duplicate_stored'
        END AS problem
    FROM joined j
    LEFT JOIN stored s ON s.member_id = j.mid AND s.date = j.date AND s.activity = j.activity AND s.count = j.count
    LEFT JOIN batches sb ON sb.id = s.batch_id
)
SELECT rn, mid AS member_id, unit_code, date, dated, activity, count, note, source_sheet, source_row,
       source_column, problem,
       CASE problem
           WHEN 'ambiguous_name' THEN '名册中有 ' || name_count || ' 名委员叫“' || name || '”：请填写委员编号'
           WHEN 'unknown_member' THEN
               CASE WHEN member_id <> '' THEN '委员编号 ' || member_id || '（' || coalesce(nullif(name, ''), '无姓名') || '）不在委员名册中：请先导入名册，或核对编号'
                    ELSE '委员“' || name || '”不在委员名册中：请先导入名册，或核对姓名' END
           WHEN 'name_mismatch' THEN '委员编号 ' || member_id || ' 在名册中是“' || roster_name || '”，表中写的是“' || name || '”'
           WHEN 'outside_term' THEN
               '委员' || roster_name || '的任职时间为 ' || coalesce(CAST(start_date AS VARCHAR), '（未填）') || ' 至 '
               || coalesce(CAST(end_date AS VARCHAR), '今') || '，'
               || CASE WHEN dated THEN '日期 ' || CAST(date AS VARCHAR) ELSE CAST(year(date) AS VARCHAR) || '年第' || quarter(date) || '季度' END
               || ' 不在任职期内'
           WHEN 'duplicate_stored' THEN '这条记录（同一委员、日期、活动类型和次数）已于批次 ' || stored_batch
               || '（' || coalesce(stored_file, '') || '）导入，不重复导入'
       END AS message
FROM checked
