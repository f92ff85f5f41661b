-- When data last changed: the newest import, revert, demo build or demo removal.
SELECT max(created_at) AS at FROM batches WHERE kind IN ('import', 'revert', 'demo', 'demo_removed')
