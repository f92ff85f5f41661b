-- Every (year, quarter) that holds at least one current value.
SELECT DISTINCT year, quarter FROM current_facts WHERE quarter IS NOT NULL ORDER BY year, quarter
