"""What reading one sheet shares, whatever its shape: the file's context, the sheet with its layout,
stated period and unit, the per-row period lookup, and the message for a unit not in the list.

The shapes themselves are read in loaders/wide.py (a column per indicator) and loaders/long.py (a row
per figure); loaders/extract.py locates the table and hands it to one of them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from operator import itemgetter

from domain.dictionary import Dictionary
from loaders.issues import IssueLog, where
from loaders.match import IndicatorMatcher, UnitMatcher
from loaders.periods import Hint, PeriodError, resolve_period
from loaders.records import Known, Records
from loaders.table import Layout

_PERIOD_ROLES = ("year", "quarter", "period", "basis")
COUNT, RATE, OTHER = 0, 1, 2  # which value rule a column's figures answer to (validate._check_value)


def _no_period_cells(row: list[object]) -> object:
    return ()


@dataclass
class FileContext:
    """What every sheet of one file shares."""

    file: str
    dictionary: Dictionary
    indicators: IndicatorMatcher
    units: UnitMatcher
    log: IssueLog
    period: tuple[int, int | None] | None = None
    cumulative: bool | None = None
    file_hint: Hint = field(default_factory=Hint)
    records: Records = field(default_factory=Records)
    unknown_columns: list[tuple[str | None, str]] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    known: Known = field(default_factory=Known)  # for validate: see records.Known
    # rate records by indicator, (index, value as written, written with %): scaled by one rule per
    # indicator over the whole file, whatever the shapes of its sheets (loaders/ratios.py)
    rates: dict[str, list[tuple[int, float, bool]]] = field(default_factory=dict)
    formula_cells: list[tuple[str | None, str]] = field(default_factory=list)  # (sheet, 'B3') read as results


class RowError(Exception):
    def __init__(self, message: str, column: str | None) -> None:
        super().__init__(message)
        self.column = column


@dataclass
class Sheet:
    """The sheet being read: its layout, stated period and unit, and the per-row period lookup."""

    ctx: FileContext
    name: str | None
    rows: list[list[object]]
    layout: Layout
    hint: Hint
    unit: str | None = None
    unit_stated: str | None = None
    unit_row: int | None = None  # the Excel row of the 填报单位 line, which a unit error names
    unit_error_logged: bool = False
    _periods: dict[object, tuple[int, int | None, bool]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.cols = {role: self.layout.role(role) for role in _PERIOD_ROLES}
        self.headers = {c.index: c.header for c in self.layout.columns}
        self._period_cols = [c for c in self.cols.values() if c is not None]
        # row -> its period cells (one cell bare, as itemgetter gives it); IndexError for a short row
        self.key_of: Callable[[list[object]], object] = (
            itemgetter(*self._period_cols) if self._period_cols else _no_period_cells
        )

    def error(self, row: int | None, column: str | None, message: str, code: str) -> None:
        if self.ctx.log.full("error", self.name, code):
            return
        self.ctx.log.add("error", self.name, row, column, where(row, column) + message, code)

    def warn(self, row: int | None, column: str | None, message: str, code: str) -> None:
        self.ctx.log.add("warning", self.name, row, column, where(row, column) + message, code)

    def period(self, row: list[object]) -> tuple[int, int | None, bool]:
        """(year, quarter, cumulative) for one row; raises RowError naming the bad cell."""
        key = self.period_key(row)
        found = self._periods.get(key)
        if found is None:
            found = self._periods[key] = self._resolve(row)
        return found

    def period_key(self, row: list[object]) -> object:
        """What a row's period depends on: its period cells, a missing one (short row) None."""
        try:
            return self.key_of(row)
        except IndexError:
            cells = tuple(row[c] if c < len(row) else None for c in self._period_cols)
            return cells[0] if len(cells) == 1 else cells

    def _resolve(self, row: list[object]) -> tuple[int, int | None, bool]:
        cells = {role: row[c] if c < len(row) else None for role, c in self.cols.items() if c is not None}
        try:
            return resolve_period(self.hint, cells, self.ctx.period, self.ctx.cumulative)
        except PeriodError as exc:
            c = self.cols.get(exc.role) if exc.role else None
            raise RowError(str(exc), self.headers[c] if c is not None else None) from exc

    def sheet_unit(self, row: int) -> str | None:
        if self.unit is None and not self.unit_error_logged:
            self.unit_error_logged = True
            row = self.unit_row or row
            if self.unit_stated:
                hint = self.ctx.units.suggest(self.unit_stated)
                extra = f"，是否应为“{hint}”？" if hint else "，请核对单位名单"
                self.error(row, None, f"填报单位“{self.unit_stated}”不在单位名单中{extra}", "unknown_unit")
            else:
                self.error(
                    row,
                    None,
                    "未能确定本表的填报单位：请在标题或“填报单位：”一行写明，或用单位名称命名工作表",
                    "no_unit",
                )
        return self.unit


def unknown_unit(sheet: Sheet, row: list[object], r: int, label: str, unit_col: int, cols: list) -> None:
    header = sheet.headers[unit_col]
    has_values = any(c < len(row) and row[c] not in ("", None) for c, *_ in cols)
    if not label:
        if has_values:
            sheet.error(
                r + 1, header, "单位名称为空，该行数据无法归属：请填写县（市、区）名称", "missing_unit"
            )
        return
    if not has_values:
        sheet.warn(r + 1, header, f"“{label}”不是名单中的单位，且该行没有数据，已跳过", "row_ignored")
        return
    hint = sheet.ctx.units.suggest(label)
    extra = f"，是否应为“{hint}”？" if hint else "，请核对单位名称或先在单位名单中添加"
    sheet.error(r + 1, header, f"单位“{label}”不在单位名单中{extra}", "unknown_unit")
