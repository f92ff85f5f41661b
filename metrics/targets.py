"""Progress against annual targets, and whether a figure is behind plan for the time of year.

Flows accumulate through the year, so by the end of quarter q a flow is on plan at q/4 of its
target; stocks and rates are levels, on plan when they reach the target. A target over several
units adds up their targets (flows and stocks) and is shown only when every unit has one; a rate's
target is shown for a single unit only (rates of different units do not add up).

>>> progress(90, 200, "flow", Period(2024, 2, "ytd")).behind
True
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from domain.periods import Period


@dataclass(frozen=True)
class Progress:
    value: float
    target: float
    share: float  # value / target
    expected: float  # share expected by now
    behind: bool


def expected_share(kind: str, period: Period) -> float | None:
    """How much of an annual target should be reached by the end of the period (None: not comparable)."""
    if kind in ("stock", "ratio"):
        return 1.0
    if period.mode == "year":
        return 1.0
    if period.mode == "ytd":
        return (period.quarter or 4) / 4
    return None  # a single quarter is not compared with an annual target


def progress(value: float | None, target: float | None, kind: str, period: Period) -> Progress | None:
    if value is None or target is None or target <= 0:
        return None
    expected = expected_share(kind, period)
    if expected is None:
        return None
    share = value / target
    return Progress(value, target, share, expected, share + 1e-9 < expected)


def combined_target(targets: pd.DataFrame, indicator: str, kind: str, units: list[str]) -> float | None:
    """The target of an indicator over `units`: their sum, when each has one; a rate only for one unit."""
    rows = targets[targets["indicator"] == indicator]
    have = dict(zip(rows["unit_code"], rows["value"], strict=True))
    if not units or any(u not in have for u in units):
        return None
    if kind == "ratio":
        return float(have[units[0]]) if len(units) == 1 else None
    return float(sum(have[u] for u in units))
