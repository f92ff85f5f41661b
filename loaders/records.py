"""The long records a file becomes, and the result of parsing one file.

>>> r = make_record("360424", 2024, 3, "proposals_submitted", 35.0, False, True, "汇总", 9, "提交提案")
>>> r.value, r.cumulative, r == Record("360424", 2024, 3, "proposals_submitted", 35.0, False, True, "汇总", 9,
...                                    "提交提案")
(35.0, True, True)
"""

from __future__ import annotations

from dataclasses import dataclass, field

from loaders.issues import Issue


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
class ParsedFile:
    """Everything read from one file: records, issues, and what was not imported and why."""

    file: str
    sha256: str
    size: int
    records: list[Record] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    skipped_sheets: list[tuple[str, str]] = field(default_factory=list)  # (sheet, Chinese reason)
    unknown_columns: list[tuple[str | None, str]] = field(default_factory=list)  # (sheet, header)
    encoding: str | None = None  # CSV: the encoding it was decoded with

    @property
    def ok(self) -> bool:
        """No error-level issue: the file may be written to the store."""
        return not any(i.level == "error" for i in self.issues)

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.level == "error"]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.level == "warning"]
