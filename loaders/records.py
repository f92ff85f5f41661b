"""The long records a file becomes, and the result of parsing one file.

>>> r = make_record("360424", 2024, 3, "proposals_submitted", 35.0, False, True, "汇总", 9, "提交提案")
>>> r.value, r.cumulative, r == Record("360424", 2024, 3, "proposals_submitted", 35.0, False, True, "汇总", 9,
...                                    "提交提案")
(35.0, True, True)
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import chain, compress, repeat
from operator import itemgetter, sub
from typing import overload

import numpy as np

from loaders.issues import HasIssues, Issue


@dataclass(frozen=True)
class Record:
    """One reported figure: (unit, period, indicator) -> value, with where it was read."""

    unit_code: str
    year: int
    quarter: int | None  # None = whole-year figure
    indicator: str  # dictionary code
    value: float  # rates in percent (51.5 for 51.5%)
    approximate: bool  # 1800余 / 约1800 / 1800多
    cumulative: bool  # year-to-date (累计 / 1-N月); never set for stocks or whole-year figures
    sheet: str | None
    row: int  # as Excel shows it; CSV: line number, header line included
    column: str  # the header as written, or the Excel letter


_new = object.__new__


def make_record(
    unit_code: str,
    year: int,
    quarter: int | None,
    indicator: str,
    value: float,
    approximate: bool,
    cumulative: bool,
    sheet: str | None,
    row: int,
    column: str,
) -> Record:
    """A Record built 3-4x faster than the frozen dataclass __init__ (240,000 of them per big sheet)."""
    r = _new(Record)
    d = r.__dict__
    d["unit_code"] = unit_code
    d["year"] = year
    d["quarter"] = quarter
    d["indicator"] = indicator
    d["value"] = value
    d["approximate"] = approximate
    d["cumulative"] = cumulative
    d["sheet"] = sheet
    d["row"] = row
    d["column"] = column
    return r


FIELDS = (
    "unit_code",
    "year",
    "quarter",
    "indicator",
    "value",
    "approximate",
    "cumulative",
    "sheet",
    "row",
    "column",
)
_RUN_FIELDS = ("unit_code", "year", "quarter", "sheet", "row")  # shared by the figures of one table row


class Records:
    """A file's records kept as columns, read as a sequence of Record.

    A provincial sheet has 240,000 figures in 6,000 table rows. What a table row's figures share (unit,
    year, quarter, sheet, row) is kept once per row — a *run* of consecutive records —, the rest once per
    record; `add_row` adds a row with two appends and four extends, and the store makes Arrow arrays
    from the lists without a Record ever being made. Indexing and iterating build Record objects on
    demand; `value` may be written in place (rates scaled to percent).

    >>> recs = Records()
    >>> recs.add_row("360424", 2024, 3, ("proposals_submitted", "proposals_registered"), (35.0, 30.0),
    ...              (False, False), "汇总", 9, ("提交提案", "立案"))
    >>> recs[1] == make_record("360424", 2024, 3, "proposals_registered", 30.0, False, False, "汇总", 9, "立案")
    True
    >>> recs.add("360402", 2024, 3, "proposals_submitted", 20.0, True, False, "汇总", 10, "提交提案")
    >>> recs.value[2] = 21.0; len(recs), recs.unit_code, [r.value for r in recs]
    (3, ['360424', '360424', '360402'], [35.0, 30.0, 21.0])
    """

    __slots__ = ("approximate", "column", "cumulative", "indicator", "runs", "starts", "value")

    def __init__(self, records: Iterable[Record] = ()) -> None:
        self.indicator: list[str] = []
        self.value: list[float] = []
        self.approximate: list[bool] = []
        self.cumulative: list[bool] = []
        self.column: list[str] = []
        self.starts: list[int] = []  # the index of each run's first record
        self.runs: list[
            tuple[str, int, int | None, str | None, int]
        ] = []  # (unit, year, quarter, sheet, row)
        for r in records:
            self.append(r)

    def append(self, r: Record) -> None:
        self.add(r.unit_code, r.year, r.quarter, r.indicator, r.value, r.approximate, r.cumulative, r.sheet,
                 r.row, r.column)  # fmt: skip

    def add(self, unit_code: str, year: int, quarter: int | None, indicator: str, value: float,
            approximate: bool, cumulative: bool, sheet: str | None, row: int, column: str) -> None:  # fmt: skip
        """One record, from its fields; it joins the last run when it shares its unit, period and row."""
        run = (unit_code, year, quarter, sheet, row)
        if not self.runs or self.runs[-1] != run:
            self.starts.append(len(self.value))
            self.runs.append(run)
        self.indicator.append(indicator)
        self.value.append(value)
        self.approximate.append(approximate)
        self.cumulative.append(cumulative)
        self.column.append(column)

    def add_row(self, unit_code: str, year: int, quarter: int | None, indicators: Sequence[str],
                values: Sequence[float], cumulative: Sequence[bool], sheet: str | None, row: int,
                columns: Sequence[str]) -> None:  # fmt: skip
        """The figures of one table row: one unit and period, exact values, one per indicator."""
        self.starts.append(len(self.value))
        self.runs.append((unit_code, year, quarter, sheet, row))
        self.indicator += indicators
        self.value += values
        self.approximate += [False] * len(values)
        self.cumulative += cumulative
        self.column += columns

    def lengths(self) -> list[int]:
        """The number of records of each run."""
        if len(self.starts) == len(self.value):  # a long table: every record is a run of its own
            return [1] * len(self.value)
        return list(map(sub, [*self.starts[1:], len(self.value)], self.starts))

    def without(self, drop: Iterable[int]) -> Records:
        """These records less those at the indices `drop` (rates given beside their parts, which are not
        stored); runs left empty go. Column-wise, in C-level compress: a big file drops 36,000 rates.

        >>> recs = Records()
        >>> recs.add_row("360424", 2024, 3, ("a", "b"), (1.0, 2.0), (False, False), "S", 9, ("A", "B"))
        >>> recs.add("360402", 2024, 3, "a", 3.0, False, False, "S", 10, "A")
        >>> [(r.indicator, r.value, r.row) for r in recs.without([1, 2])]
        [('a', 1.0, 9)]
        """
        mask = bytearray(b"\x01") * len(self.value)
        for i in drop:
            mask[i] = 0
        out = Records()
        for name in ("indicator", "value", "approximate", "cumulative", "column"):
            setattr(out, name, list(compress(getattr(self, name), mask)))
        if len(self.runs) == len(self.value):  # a long table, a run per record: the runs go as the records
            out.runs = list(compress(self.runs, mask))
            out.starts = list(range(len(out.runs)))
            return out
        if not self.starts:
            return out
        kept: list[int] = np.add.reduceat(np.frombuffer(mask, dtype=np.uint8), self.starts).tolist()
        at = 0
        for n, run in zip(kept, self.runs, strict=True):
            if n:
                out.starts.append(at)
                out.runs.append(run)
                at += n
        return out

    def run_of(self, i: int) -> tuple[str, int, int | None, str | None, int]:
        """(unit, year, quarter, sheet, row) of record i."""
        if i < 0:
            i += len(self.value)
        return self.runs[bisect_right(self.starts, i) - 1]

    def _expand(self, k: int) -> list:
        if len(self.runs) == len(self.value):  # one record per run: nothing to repeat
            return list(map(itemgetter(k), self.runs))
        return list(chain.from_iterable(map(repeat, map(itemgetter(k), self.runs), self.lengths())))

    @property
    def unit_code(self) -> list[str]:
        return self._expand(0)

    @property
    def year(self) -> list[int]:
        return self._expand(1)

    @property
    def quarter(self) -> list[int | None]:
        return self._expand(2)

    @property
    def sheet(self) -> list[str | None]:
        return self._expand(3)

    @property
    def row(self) -> list[int]:
        return self._expand(4)

    def __len__(self) -> int:
        return len(self.value)

    @overload
    def __getitem__(self, i: int) -> Record: ...
    @overload
    def __getitem__(self, i: slice) -> list[Record]: ...
    def __getitem__(self, i: int | slice) -> Record | list[Record]:
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self)))]
        unit, year, quarter, sheet, row = self.run_of(i)
        return make_record(unit, year, quarter, self.indicator[i], self.value[i], self.approximate[i],
                           self.cumulative[i], sheet, row, self.column[i])  # fmt: skip

    def __iter__(self) -> Iterator[Record]:
        return map(make_record, *(getattr(self, name) for name in FIELDS))

    def __bool__(self) -> bool:
        return bool(self.value)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Records | list | tuple):
            return len(self) == len(other) and list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Records({list(self)!r})"


@dataclass
class Known:
    """What extract knows of the records it made, so that validate need not find it out again in passes
    over 240,000 records. Another caller of validate leaves it out, and every record is checked.

    `suspects`: the index of every record that may break a value rule (negative, not whole, a rate outside
    0–100); the others cannot. `rows`: one (start, codes, cumulative) per table row, in record order and
    covering every record: records[start:start + len(codes)] are one unit's figures for one period, for the
    distinct indicators `codes` in that order, and `cumulative` is False when none of them is year-to-date.
    `rows` is None once some record was made otherwise (a long table): validate then groups them itself.
    """

    suspects: list[int] | None = field(default_factory=list)
    rows: list[tuple[int, tuple[str, ...], bool]] | None = field(default_factory=list)


@dataclass
class ParsedFile(HasIssues):
    """Everything read from one file: records, issues, and what was not imported and why."""

    file: str
    sha256: str
    size: int
    records: Records = field(default_factory=Records)
    issues: list[Issue] = field(default_factory=list)
    skipped_sheets: list[tuple[str, str]] = field(default_factory=list)  # (sheet, Chinese reason)
    unknown_columns: list[tuple[str | None, str]] = field(default_factory=list)  # (sheet, header)
    encoding: str | None = None  # CSV: the encoding it was decoded with
    # (sheet, cell such as 'B3'): figures read from formula cells, as the results saved with them
    formula_cells: list[tuple[str | None, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """No error-level issue: the file may be written to the store."""
        return not any(i.level == "error" for i in self.issues)
