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
