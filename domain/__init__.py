"""The shared domain types every layer may import, and which import no other layer of the project:
the indicator dictionary (indicators, kinds, directions, bounds), reporting units and their levels,
periods (quarters, year to date, whole years) with the one way a period is written in Chinese, and
decks (汇报材料: slides, their frozen choices, fixed or relative periods, periods as people type them).

The packages form one DAG, checked by the test command (`lint-imports`, contracts in pyproject.toml):

    views (page scripts), dashboard.py
      └─ ui | cli            Streamlit only in ui (and the page scripts); cli beside it
          └─ services        what both call to change data (import, revert, targets, units, backup)
                             and to show and export decks
              demo | exports  demo data, files people download (what a slide shows: exports.slides;
                             PowerPoint, PDF, chart images, Excel)
              └─ charts      Plotly figure builders (a slide's chart as data: charts.slide)
                  └─ metrics aggregation by kind, comparisons, summary text
                      └─ store   DuckDB: migrations, batches, facts, history
                          └─ loaders   files -> validated records
                              └─ i18n      the message catalogue
                                  └─ domain    (this package)
"""
