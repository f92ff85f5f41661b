"""Any indicator at any level, by its kind: one unit or all the given units; a quarter, YTD or a year.

The aggregation itself is one SQL query (`store/sql/aggregate.sql`); this module chooses the windows
and shapes the answer. Every page, the summary text and the tests get their numbers from here.

>>> compute(con, [Period(2024, None, "year")], ["360402"], ["proposals_submitted"])  # doctest: +SKIP
"""

from __future__ import annotations

import functools
import math
import weakref
from collections.abc import Sequence
from dataclasses import dataclass

import duckdb
import pandas as pd

from domain.dictionary import Dictionary, Indicator, load_dictionary
from domain.periods import Period
from store.queries import frame

COLUMNS = [
    "label",
    "unit_code",
    "indicator",
    "value",
    "approximate",
    "reported",
    "numerator",
    "denominator",
    "n_units",
]


def compute(
    con: duckdb.DuckDBPyConnection,
    periods: Sequence[Period],
    units: Sequence[str],
    indicators: Sequence[str] = (),
) -> pd.DataFrame:
    """Values per (period label, unit) and, with unit_code None, over all the given units.

    Missing stays missing: a unit that reported nothing for an indicator has no row.
    """
    if not periods or not units:
        return pd.DataFrame(columns=COLUMNS)
    windows = [p.window() for p in periods]
    params = {
        "labels": [p.label for p in periods],
        "years": [w[0] for w in windows],
        "q_from": [w[1] for w in windows],
        "q_to": [w[2] for w in windows],
        "whole_year": [w[3] for w in windows],
        "units": list(units),
        "indicators": list(indicators),
        "needed": needed_codes(indicators),
    }
    return frame(con, "aggregate", params)


@functools.cache
def _file_dictionary() -> Dictionary:
    return load_dictionary()


def needed_codes(indicators: Sequence[str]) -> list[str]:
    """The codes whose facts a query reads: the asked ones and their parts (ratio terms, sum parts)."""
    if not indicators:
        return []
    dic = _file_dictionary()
    out: set[str] = set()
    todo = list(indicators)
    while todo:
        code = todo.pop()
        if code in out:
            continue
        out.add(code)
        if code in dic:
            ind = dic[code]
            todo += [c for c in (ind.numerator, ind.denominator, *ind.parts) if c]
    return sorted(out)


def totals(df: pd.DataFrame) -> pd.DataFrame:
    """Only the rows over all units."""
    return df[df["unit_code"].isna()]


_LOOKUPS: dict[int, tuple[weakref.ref[pd.DataFrame], dict[tuple[str, str, str | None], float | None]]] = {}


def _lookup(df: pd.DataFrame) -> dict[tuple[str, str, str | None], float | None]:
    """(label, indicator, unit or None) -> value, built once per frame: pages ask for a hundred values."""
    key = id(df)
    hit = _LOOKUPS.get(key)
    if hit is not None and hit[0]() is df:
        return hit[1]
    table: dict[tuple[str, str, str | None], float | None] = {}
    for label, ind, unit, v in zip(df["label"], df["indicator"], df["unit_code"], df["value"], strict=True):
        unit_key = unit if isinstance(unit, str) else None
        table[(label, ind, unit_key)] = (
            None if v is None or (isinstance(v, float) and math.isnan(v)) else float(v)
        )

    def forget(_ref: weakref.ref[pd.DataFrame], key: int = key) -> None:
        _LOOKUPS.pop(key, None)

    _LOOKUPS[key] = (weakref.ref(df, forget), table)
    return table


def value_of(df: pd.DataFrame, label: str, indicator: str, unit: str | None = None) -> float | None:
    """One value out of a compute() frame; None when missing (or a ratio over a zero denominator)."""
    if df.empty:
        return None
    return _lookup(df).get((label, indicator, unit))


@dataclass(frozen=True)
class Change:
    """A comparison with an earlier period: relative for counts, in 百分点 for rates."""

    current: float | None
    previous: float | None
    delta: float | None  # absolute difference (百分点 for rates)
    pct: float | None  # relative change in %, for counts; None for rates or a previous of 0

    @property
    def known(self) -> bool:
        return self.delta is not None


def change(current: float | None, previous: float | None, indicator: Indicator) -> Change:
    """同比/环比 by kind: a ratio's change is the difference in points, never a relative change."""
    if current is None or previous is None:
        return Change(current, previous, None, None)
    delta = current - previous
    if indicator.kind == "ratio":
        return Change(current, previous, delta, None)
    pct = None if previous == 0 else delta / previous * 100.0
    return Change(current, previous, delta, pct)
