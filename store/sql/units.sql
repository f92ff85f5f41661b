-- Every unit, the city's own committee (市本级) first, then by code.
SELECT code, name, aliases, level, sort_order
FROM units
ORDER BY CASE WHEN level = 'city' THEN 0 ELSE 1 END, sort_order, code
