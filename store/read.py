"""Small reads of reference data: units, indicators, what periods hold data, whether data is demo."""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

from domain.dictionary import Unit
from store.queries import frame


def units(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """code, name, aliases, level, sort_order; the city's own committee (市本级) first."""
    return frame(con, "units")


def reported_quarters(con: duckdb.DuckDBPyConnection) -> list[tuple[int, int]]:
    """Every (year, quarter) holding at least one current value, oldest first."""
    df = frame(con, "reported_quarters")
    return [(int(y), int(q)) for y, q in zip(df["year"], df["quarter"], strict=True)]


def reported_years(con: duckdb.DuckDBPyConnection) -> list[int]:
    """Years with any current value (quarterly or whole-year)."""
    return [int(y) for y in frame(con, "reported_years")["year"]]


def is_demo(con: duckdb.DuckDBPyConnection) -> bool:
    """True while the current values come from the generated demo data (pages show a 演示数据 badge)."""
    return bool(frame(con, "demo_share")["demo"].iloc[0])


def last_import(con: duckdb.DuckDBPyConnection) -> dt.datetime | None:
    """When the figures last changed (an import, a revert, the demo data built or removed)."""
    value = frame(con, "last_import")["at"].iloc[0]
    return None if pd.isna(value) else pd.Timestamp(value).to_pydatetime()


def store_units(con: duckdb.DuckDBPyConnection) -> list[Unit]:
    """The units as domain objects, in their order (what the importer matches names against)."""
    rows = con.execute(
        "SELECT code, name, aliases, level, sort_order FROM units ORDER BY sort_order"
    ).fetchall()
    return [Unit(r[0], r[1], tuple(r[2] or ()), r[3], r[4]) for r in rows]
