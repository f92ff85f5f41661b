-- How many stored facts (current or not) share a (unit, year, quarter) with the incoming values
-- (registered as _incoming): none means every incoming value is new and no comparison is needed.
SELECT count(*)
FROM facts f
JOIN (SELECT DISTINCT unit_code, year, quarter FROM _incoming) i
  ON f.unit_code = i.unit_code AND f.year = i.year AND f.quarter IS NOT DISTINCT FROM i.quarter
