"""同比 like with like: the same quarters a year earlier, over the units that reported in both periods.

A year of which three quarters are reported is compared with the first three quarters of the year
before, not with all of it, and is labelled so (2026年（截至第三季度）). A unit that reported this year
but not last year (or the other way round) would turn a change in who reports into a change in the
work (+544.5 % when the year before was reported by a few units): the 同比 compares only the units with
a value in both periods, while the headline figure stays the total of every unit chosen.

>>> have = [(2025, q) for q in (1, 2, 3, 4)] + [(2026, 1), (2026, 2), (2026, 3)]
>>> comparable(Period(2026), have)
Comparable(previous=Period(year=2025, quarter=3, mode='ytd'), through=3)
>>> comparable(Period(2025), have)
Comparable(previous=Period(year=2024, quarter=None, mode='year'), through=None)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import pandas as pd

from domain.periods import Period
from metrics.aggregate import value_of


@dataclass(frozen=True)
class Comparable:
    """The period to compare with, and the last quarter reported when the chosen one is partial."""

    previous: Period
    through: int | None  # 3: the chosen year (or 1-12月) is reported only through its third quarter


def comparable(period: Period, have: Iterable[tuple[int, int]]) -> Comparable:
    """The same quarters a year earlier: a partial year (or a year to date past the last reported
    quarter) compares with the year before up to the same quarter."""
    if period.mode == "quarter":
        return Comparable(period.previous_year(), None)
    reported = [q for y, q in have if y == period.year]
    end = 4 if period.mode == "year" else int(period.quarter or 4)
    last = max(reported, default=end)
    if last >= end:
        return Comparable(period.previous_year(), None)
    return Comparable(Period(period.year - 1, last, "ytd"), last)


@dataclass(frozen=True)
class YoY:
    """One indicator's 同比 basis: the current value over the comparable units, and a year earlier."""

    current: float | None  # over the units reporting in both periods (the headline may hold more)
    previous: float | None
    units: int  # units compared
    reporting: int  # units with a value in the chosen period
    subset: bool  # fewer units compared than reported, or last year's total held others


def _units_with(frame: pd.DataFrame, label: str, code: str) -> set[str]:
    rows = frame[(frame["label"] == label) & (frame["indicator"] == code) & frame["unit_code"].notna()]
    return set(rows.loc[rows["value"].notna(), "unit_code"])


def like_for_like(
    frame: pd.DataFrame,
    label: str,
    previous: Period,
    codes: Sequence[str],
    recompute: Callable[[Sequence[str], Sequence[str]], pd.DataFrame],
) -> dict[str, YoY]:
    """For each code, the 同比 basis from a compute() frame holding `label` and `previous.label`.

    Where the units with a value differ between the periods, `recompute(units, codes)` (a compute() of
    the chosen period and `previous` over those units: cached by the caller) gives both totals again
    over the units common to both; one call per distinct set of units.
    """
    out: dict[str, YoY] = {}
    groups: dict[frozenset[str], list[str]] = {}
    for code in codes:
        cur, old = _units_with(frame, label, code), _units_with(frame, previous.label, code)
        common = cur & old
        if cur == old:
            out[code] = YoY(
                value_of(frame, label, code), value_of(frame, previous.label, code), len(cur), len(cur), False
            )
        elif not common:
            out[code] = YoY(value_of(frame, label, code), None, 0, len(cur), True)
        else:
            groups.setdefault(frozenset(common), []).append(code)
    for units, group in groups.items():
        again = recompute(sorted(units), group)
        for code in group:
            reporting = len(_units_with(frame, label, code))
            out[code] = YoY(
                value_of(again, label, code),
                value_of(again, previous.label, code),
                len(units),
                reporting,
                True,
            )
    return out
