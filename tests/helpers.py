"""Helpers for tests: write facts into a store in one batch."""

from __future__ import annotations

import pandas as pd

from store.connection import Store
from store.facts import append_facts, new_batch


def add_batch(store: Store, rows: list[dict], kind: str = "import", file_name: str = "t.xlsx") -> int:
    """Append one batch of facts (dicts with unit_code, year, quarter, indicator, value …)."""
    with store.transaction() as con:
        b = new_batch(con, kind, file_name=file_name, user="tester")
        append_facts(con, b, pd.DataFrame(rows))
    return b


def fact(unit: str, year: int, quarter: int | None, indicator: str, value: float, **kw: object) -> dict:
    return {"unit_code": unit, "year": year, "quarter": quarter, "indicator": indicator, "value": value, **kw}


def make_xlsx(path, sheets: dict[str, list[list]], title: str | None = None):
    """Write a workbook: {sheet name: rows}; an optional merged title row above each table."""
    import openpyxl

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        if title:
            ws.append([title])
            ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=max(len(r) for r in rows))
        for r in rows:
            ws.append(r)
    wb.save(path)
    return path


def snapshot(store: Store) -> list[tuple]:
    """Everything current, for before/after comparisons."""
    with store.connect() as con:
        return con.execute("SELECT * FROM indicator_values ORDER BY ALL").fetchall()


def run_page(page: str, **params: str):
    """An AppTest of one page file with fresh caches and these URL parameters, run once, no exception."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(page, default_timeout=60)
    at.query_params.update(params)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def cards(at) -> dict[str, str]:
    """The KPI cards an AppTest shows: label -> value."""
    return {m.label: m.value for m in at.metric}
