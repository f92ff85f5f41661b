"""Periods the user can choose: one quarter, the year to date, or a whole year; and their comparisons.

>>> Period(2024, 3, "ytd").window()
(2024, 1, 3, False)
>>> Period(2024, 1, "quarter").previous_quarter()
Period(year=2023, quarter=4, mode='quarter')
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

Mode = Literal["quarter", "ytd", "year"]
MODES: tuple[Mode, ...] = ("quarter", "ytd", "year")


@dataclass(frozen=True)
class Period:
    """`quarter` is the quarter shown (mode quarter) or the last quarter included (mode ytd)."""

    year: int
    quarter: int | None = None
    mode: Mode = "year"

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise ValueError(f"未知的期间类型：{self.mode}")
        if self.mode == "year":
            object.__setattr__(self, "quarter", None)
        elif self.quarter not in (1, 2, 3, 4):
            raise ValueError("季度应为 1 至 4")

    @property
    def label(self) -> str:
        """A stable key, e.g. 2024Q3, 2024YTD3, 2024."""
        if self.mode == "quarter":
            return f"{self.year}Q{self.quarter}"
        if self.mode == "ytd":
            return f"{self.year}YTD{self.quarter}"
        return str(self.year)

    def window(self) -> tuple[int, int, int, bool]:
        """(year, first quarter, last quarter, whether whole-year figures count)."""
        if self.mode == "quarter":
            q = int(self.quarter or 1)
            return self.year, q, q, False
        if self.mode == "ytd":
            return self.year, 1, int(self.quarter or 4), False
        return self.year, 1, 4, True

    def previous_year(self) -> Period:
        """The same period a year earlier (同比)."""
        return Period(self.year - 1, self.quarter, self.mode)

    def previous_quarter(self) -> Period | None:
        """The quarter before (环比); only a single quarter has one."""
        if self.mode != "quarter" or self.quarter is None:
            return None
        if self.quarter == 1:
            return Period(self.year - 1, 4, "quarter")
        return Period(self.year, self.quarter - 1, "quarter")

    def zh(self) -> str:
        """How the period is written in Chinese reports: 2024年第三季度, 2024年1-9月, 2024年."""
        if self.mode == "quarter":
            return period_label(self.year, int(self.quarter or 1))
        if self.mode == "ytd":
            return f"{self.year}年1-{int(self.quarter or 4) * 3}月"
        return f"{self.year}年"

    def en(self) -> str:
        if self.mode == "quarter":
            return f"Q{self.quarter} {self.year}"
        if self.mode == "ytd":
            return f"{self.year} Jan-{['Mar', 'Jun', 'Sep', 'Dec'][int(self.quarter or 4) - 1]}"
        return str(self.year)


QUARTER_NAMES = "一二三四"


def period_label(year: int, quarter: int | None) -> str:
    """The one way a stored period is written in Chinese: `2024年第一季度`, or `2023年度` for a whole year.

    >>> period_label(2024, 1), period_label(2023, None)
    ('2024年第一季度', '2023年度')
    """
    return f"{year}年度" if quarter is None else f"{year}年第{QUARTER_NAMES[quarter - 1]}季度"


_LABEL_RE = re.compile(r"^(\d{4})(?:(Q|YTD)([1-4]))?$")


def parse_label(text: str) -> Period:
    """Inverse of Period.label (used for URLs)."""
    m = _LABEL_RE.match(text.strip().upper())
    if not m:
        raise ValueError(f"无法识别的期间：{text}")
    year, kind, q = int(m.group(1)), m.group(2), m.group(3)
    if kind == "Q":
        return Period(year, int(q), "quarter")
    if kind == "YTD":
        return Period(year, int(q), "ytd")
    return Period(year, None, "year")


def quarters_between(first: tuple[int, int], last: tuple[int, int]) -> list[tuple[int, int]]:
    """Every (year, quarter) from first to last inclusive."""
    out = []
    y, q = first
    while (y, q) <= last:
        out.append((y, q))
        y, q = (y, q + 1) if q < 4 else (y + 1, 1)
    return out


def nearest_with_data(period: Period, have: Iterable[tuple[int, int]]) -> Period | None:
    """The period to name when `period` holds no data, from `have`, the (year, quarter)s that hold some;
    None when there are none.

    The rule: the quarter with data nearest to the chosen period, in either direction, counted in quarters
    from the period's nearer edge (its first quarter for earlier data, its last for later data; in
    quarter mode both are the one quarter). On a tie the earlier quarter wins: a past quarter is
    complete, while units may still be reporting a later one. Why not "the latest at or before the
    period" (the domain pages' former rule): with data in 2020Q1 and 2024Q2, an empty 2024Q1 would name
    2020Q1 instead of the next quarter. Why the nearer edge rather than the end: counted from its end, a
    whole year would always send the user to the next year (2024Q1 is one quarter after 2023's end,
    2022Q4 four before it), which may be the partial one.

    It is written in the chosen mode, so it can be picked in the sidebar as it stands: that quarter; in
    year-to-date mode 1-N月 of its year up to it; in year mode its whole year.
    """
    year, first, last, _ = period.window()
    lo, hi = year * 4 + first, year * 4 + last

    def distance(yq: tuple[int, int]) -> int:
        at = yq[0] * 4 + yq[1]
        return max(lo - at, at - hi, 0)

    best = min(have, key=lambda yq: (distance(yq), yq), default=None)
    if best is None:
        return None
    y, q = best
    return Period(y) if period.mode == "year" else Period(y, q, period.mode)
