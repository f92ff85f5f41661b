-- A member's 履职档案: every activity stored (reverted batches left out), newest first, with its source.
SELECT l.date, l.dated, l.activity, l.count, l.note, l.unit_code, b.id AS batch_id, b.file_name,
       l.source_sheet, l.source_row, l.source_column
FROM member_log l
JOIN batches b ON b.id = l.batch_id
WHERE l.member_id = $member AND b.reverted_by IS NULL AND b.kind <> 'revert'
ORDER BY l.date DESC, l.id DESC
