-- Every year that holds at least one current value, quarterly or whole-year.
SELECT DISTINCT year FROM current_facts ORDER BY year
