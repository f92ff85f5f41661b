"""A located table -> long records: units, periods and values read row by row, problems logged.

The inner loops are the hot path (240,000 cells in a provincial workbook, 234,000 rows in a long
table): unit names, indicator names, period cells and value texts are looked up once per distinct cell;
a wide row of floats (calamine's numbers) is read in one go and added to the record columns with one
`extend` per column (records.Records); the sums a 合计 row is checked against are added only when such a row comes.
What validate would otherwise find out in passes over all records is kept in `ctx.known`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import repeat
from math import isnan
from operator import add, itemgetter
from typing import Any

from loaders.fold import cell_text
from loaders.issues import IssueLog, column_letter, where
from loaders.match import IndicatorMatcher, UnitMatcher
from loaders.periods import Hint, PeriodError, find_period, merge_hints, resolve_period
from loaders.readers import Grid
from loaders.records import Known, Records
from loaders.table import (
    SUBTOTAL,
    Layout,
    context_lines,
    fill_merged,
    first_text,
    is_blank,
    is_note,
    is_total,
    locate,
    plain_lead,
    reporting_unit,
    text,
)
from loaders.values import BadValue, Parsed, bare_scale, format_number, parse_value
from metrics.dictionary import Dictionary

_PERIOD_ROLES = ("year", "quarter", "period", "basis")
_UNPARSED = Parsed(float("nan"), False, False)  # a cell not parsed yet, told apart by identity
_COUNT, _RATE, _OTHER = 0, 1, 2  # which value rule a column's figures answer to (validate._check_value)


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


class _RowError(Exception):
    def __init__(self, message: str, column: str | None) -> None:
        super().__init__(message)
        self.column = column


@dataclass
class _Sheet:
    """The sheet being read: its layout, stated period and unit, and the per-row period lookup."""

    ctx: FileContext
    name: str | None
    rows: list[list[object]]
    layout: Layout
    hint: Hint
    unit: str | None = None
    unit_stated: str | None = None
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
        """(year, quarter, cumulative) for one row; raises _RowError naming the bad cell."""
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
            raise _RowError(str(exc), self.headers[c] if c is not None else None) from exc

    def sheet_unit(self, row: int) -> str | None:
        if self.unit is None and not self.unit_error_logged:
            self.unit_error_logged = True
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


def extract_sheet(ctx: FileContext, grid: Grid) -> None:
    """Read one sheet into ctx.records, logging every problem; a sheet without a table is listed as skipped."""
    rows = grid.rows
    fill_merged(rows, grid.merged)
    sheet_name = grid.name or "CSV"
    if all(is_blank(r) for r in rows[:200]) and all(is_blank(r) for r in rows):
        ctx.skipped.append((sheet_name, "空工作表"))
        return
    layout = locate(rows, ctx.indicators)
    if layout is None:
        ctx.skipped.append((sheet_name, "未找到数据表（没有可识别的表头或指标名称）"))
        return
    lines = context_lines(rows, layout)
    title = " ".join(lines)
    has_quarter_col = layout.role("quarter") is not None or layout.role("period") is not None
    hint = merge_hints(find_period(title), find_period(grid.name or ""), ctx.file_hint)
    if has_quarter_col:  # rows give their own quarter; a span in the title (上半年) is not a basis
        hint = Hint(hint.year, None, False, True if "累计" in title else None)
    if layout.value_col is not None and hint.cumulative is None:  # a 累计数 / 本期数 value column
        basis = find_period(text(rows[layout.header_rows[0]], layout.value_col) if layout.header_rows else "")
        hint = hint._replace(cumulative=basis.cumulative)
    sheet = _Sheet(ctx, grid.name, rows, layout, hint)
    if layout.role("unit") is None:
        sheet.unit, sheet.unit_stated = reporting_unit(lines, grid.name, ctx.units)
    year_only = hint.year is not None and hint.quarter is None and not (hint.whole_year or hint.cumulative)
    if year_only and not has_quarter_col and layout.role("year") is None and ctx.period is None:
        sheet.warn(None, None, f"表中只写明年份 {hint.year}，未写明季度，按全年（年度）数据导入", "year_only")
    for col in layout.columns:
        written = col.header != column_letter(col.index)
        if col.code is None and (written or _column_has_data(rows, layout, col.index)):
            ctx.unknown_columns.append((grid.name, col.header))
            sheet.warn(
                layout.header_rows[-1] + 1 if layout.header_rows else None, col.header,
                f"表头“{col.header}”不是已知指标，该列未导入（如是指标的另一种写法，可在指标字典中添加别名）",
                "unknown_column",
            )  # fmt: skip
    before = len(ctx.records)
    if layout.shape == "wide":
        _read_wide(sheet)
    else:
        _read_rows(sheet)
    if len(ctx.records) == before and all(is_blank(r) for r in rows[layout.first_data :]):
        # listed, not warned: a template's unfilled domain sheets are normal; a file with no data at all is an error
        ctx.skipped.append((sheet_name, "表头下没有数据行"))


def _column_has_data(rows: list[list[object]], layout: Layout, c: int) -> bool:
    return any(c < len(r) and cell_text(r[c]) for r in rows[layout.first_data :])


def _read_wide(sheet: _Sheet) -> None:
    ctx, layout, rows = sheet.ctx, sheet.layout, sheet.rows
    unit_col = layout.role("unit")
    seen: dict[str, str] = {}
    cols: list[tuple[int, str, str, bool, bool]] = []
    for col in layout.columns:
        if col.code is None or col.is_role:
            continue
        if col.code in seen:
            name = ctx.dictionary[col.code].name
            sheet.error(layout.header_rows[-1] + 1, col.header,
                        f"与“{seen[col.code]}”列都对应指标“{name}”，一个指标只能有一列：请删除或改名其中一列",
                        "duplicate_column")  # fmt: skip
            continue
        seen[col.code] = col.header
        ind = ctx.dictionary[col.code]
        cols.append((col.index, col.code, col.header, ind.is_rate, ind.kind == "stock"))
    if not cols:
        return
    first_value_col = min(col[0] for col in cols)
    grand = [0.0] * len(cols)
    sub = [0.0] * len(cols)
    gaps: set[int] = set()
    rates: dict[int, list[tuple[int, float, bool]]] = {}
    out = ctx.records
    units = ctx.units
    sheet_name = sheet.name
    suspects = ctx.known.suspects
    assert suspects is not None
    known_rows = ctx.known.rows
    # A row whose value cells are all floats (calamine's numbers) takes the fast path: no gaps, no text to
    # parse, its records built inline. Its values are kept (fast_values), and added to the sums only when
    # a 合计 row or a slow row needs them, in row order as before; a rate column's sum is never read.
    n_cols = len(cols)
    last_col = max(col[0] for col in cols)
    values_of = _getter([col[0] for col in cols])
    codes = [col[1] for col in cols]
    headers = [col[2] for col in cols]
    flow_cum = [not col[4] for col in cols]
    no_cum = [False] * n_cols
    kinds = [_RATE if col[3] else _COUNT if ctx.dictionary[col[1]].is_count else _OTHER for col in cols]
    counts_of = _getter([k for k, kind in enumerate(kinds) if kind == _COUNT])
    codes_row = tuple(codes)
    fast_bases: list[int] = []
    fast_values: list[tuple[float, ...]] = []
    summed = 0  # fast_values[:summed] are in grand and sub
    for r in range(layout.first_data, len(rows)):
        row = rows[r]
        label = text(row, unit_col) if unit_col is not None else ""
        unit = units.match(label) if label else None
        if unit is None:
            lead = label or first_text(row, first_value_col)
            if lead and is_total(lead):
                summed = _add_rows(grand, sub, fast_values, summed)
                _check_total(sheet, row, r, cols, grand, sub, gaps, lead)
                continue
            if is_blank(row) or is_note(row):
                continue
            if unit_col is None:
                unit = sheet.sheet_unit(r + 1)
                if unit is None:
                    continue
            else:
                _unknown_unit(sheet, row, r, label, unit_col, cols)
                continue
        try:
            period = sheet.period(row)
        except _RowError as exc:
            sheet.error(r + 1, exc.column, str(exc), "bad_period")
            continue
        year, quarter, cum = period
        excel_row = r + 1
        base = len(out)
        if len(row) > last_col:
            values = values_of(row)
            if list(map(type, values)).count(float) == n_cols:
                out.add_row(unit, year, quarter, codes, values, flow_cum if cum else no_cum, sheet_name, excel_row,
                            headers)  # fmt: skip
                fast_bases.append(base)
                fast_values.append(values)
                if known_rows is not None:
                    known_rows.append((base, codes_row, cum))
                # A negative figure or a fractional count: the row's records are suspects (a NaN count
                # fails is_integer; a NaN first makes min NaN). Rates out of 0–100 are _scale_rates' to find.
                if not min(values) >= 0 or not all(map(float.is_integer, counts_of(values))):
                    suspects.extend(range(base, base + n_cols))
                continue
        summed = _add_rows(grand, sub, fast_values, summed)
        made: list[str] = []
        for k, (c, code, header, is_rate, is_stock) in enumerate(cols):
            v = row[c] if c < len(row) else None
            if v == "" or v is None:
                gaps.add(k)
                continue
            if type(v) is float:
                value, approx, percent = v, False, False
            else:
                try:
                    p = parse_value(v)
                except BadValue as exc:
                    sheet.error(excel_row, header, str(exc), "not_a_number")
                    gaps.add(k)
                    continue
                if p is None:
                    gaps.add(k)
                    continue
                value, approx, percent = p
            if is_rate:
                rates.setdefault(c, []).append((len(out), value, percent))
            else:
                grand[k] += value
                sub[k] += value
                if not (value >= 0 and (kinds[k] != _COUNT or value.is_integer())):
                    suspects.append(len(out))
            made.append(code)
            out.add(
                unit, year, quarter, code, value, approx, cum and not is_stock, sheet_name, excel_row, header
            )
        if made and known_rows is not None:
            known_rows.append((base, tuple(made), cum))
    for k, (c, *_), kind in zip(range(n_cols), cols, kinds, strict=True):  # the fast rows' rates
        if kind == _RATE:
            at = map(itemgetter(k), fast_values)
            rates.setdefault(c, []).extend(zip(map(add, fast_bases, repeat(k)), at, repeat(False)))
    _scale_rates(out, rates, suspects)


def _add_rows(grand: list[float], sub: list[float], values: list[tuple[float, ...]], start: int) -> int:
    """Add values[start:] to both running sums, row by row as the cells come; returns the new start."""
    for v in values[start:]:
        grand[:] = list(map(add, grand, v))
        sub[:] = list(map(add, sub, v))
    return len(values)


def _getter(indices: list[int]) -> Callable[[Sequence[Any]], tuple[Any, ...]]:
    """row -> the cells at `indices`, as a tuple (itemgetter gives a bare cell for one index, none for none)."""
    if not indices:
        return lambda row: ()
    if len(indices) == 1:
        i = indices[0]
        return lambda row: (row[i],)
    return itemgetter(*indices)


def _unknown_unit(sheet: _Sheet, row: list[object], r: int, label: str, unit_col: int, cols: list) -> None:
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


def _check_total(sheet: _Sheet, row: list[object], r: int, cols: list, grand: list[float], sub: list[float],
                 gaps: set[int], lead: str) -> None:  # fmt: skip
    """A 合计/小计 row is not imported; it is compared with the rows it sums (a mismatch is a warning)."""
    subtotal = lead.strip().startswith(SUBTOTAL) or "小计" in lead
    sums = sub if subtotal else grand
    for k, (c, _code, header, is_rate, _stock) in enumerate(cols):
        if is_rate or k in gaps or c >= len(row):
            continue
        try:
            total = parse_value(row[c])
        except BadValue:
            continue
        if total is None or abs(total.value - sums[k]) < 1e-6:
            continue
        diff = total.value - sums[k]
        sheet.warn(
            r + 1, header,
            f"{lead.strip()} {format_number(total.value)} 与上方各行之和 {format_number(sums[k])} 不一致"
            f"（差 {format_number(diff)}），请核对；合计行本身不导入",
            "total_mismatch",
        )  # fmt: skip
    for k in range(len(cols)):
        sub[k] = 0.0
        if not subtotal:
            grand[k] = 0.0
    if not subtotal:
        gaps.clear()


def _scale_rates(out: Records, rates: dict[int, list[tuple[int, float, bool]]], suspects: list[int]) -> None:
    """A rate column's bare numbers become percentages (values.rate_scale); a column with a rate outside
    0–100 once scaled (or NaN) makes all its records suspects. `rates`: (record index, value, percent)."""
    for found in rates.values():
        if not found:
            continue
        scale = bare_scale([v for _, v, percent in found if not percent])
        if scale != 1.0:
            values = out.value
            for i, v, percent in found:
                if not percent:
                    values[i] = v * scale
            final = [v if percent else v * scale for _, v, percent in found]
        else:
            final = [v for _, v, _ in found]
        if any(map(isnan, final)) or not (min(final) >= 0 and max(final) <= 100):
            suspects.extend(i for i, _, _ in found)


def _read_rows(sheet: _Sheet) -> None:
    """Long tables and forms: one figure per row, its indicator named in the label column.

    A long table repeats its indicator names, units, periods and values thousands of times: each distinct
    cell is looked up once (the dicts below), and only a row whose first cell could start a note is
    checked for being one.
    """
    ctx, layout, rows = sheet.ctx, sheet.layout, sheet.rows
    label_col, value_col = layout.label_col, layout.value_col
    assert label_col is not None and value_col is not None
    unit_col = layout.role("unit")
    value_header = sheet.headers.get(value_col, "")
    group = ""
    unknown: dict[str, int] = {}
    dictionary = ctx.dictionary
    recs = ctx.records
    add_start, add_run = recs.starts.append, recs.runs.append
    add_indicator, add_value, add_approx = recs.indicator.append, recs.value.append, recs.approximate.append
    add_cum, add_column = recs.cumulative.append, recs.column.append
    sheet_name = sheet.name
    # label (under the current group) -> code, is_rate, is_stock, value rule
    known: dict[str, tuple[str, bool, bool, int]] = {}
    plain: set[object] = set()  # first cells that cannot start a note
    unit_codes: dict[object, str] = {}  # unit cells (str) -> unit code
    parsed: dict[str, Parsed | None] = {}  # value cells (str) -> parse_value
    periods, period_key = sheet._periods, sheet.key_of
    suspects = ctx.known.suspects
    assert suspects is not None
    before = len(ctx.records)
    for r in range(layout.first_data, len(rows)):
        row = rows[r]
        n = len(row)
        cell = row[label_col] if label_col < n else None
        label = cell.strip() if type(cell) is str else cell_text(cell)
        raw = row[value_col] if value_col < n else None
        if raw is None or raw == "":
            if label and not is_note(row):
                group = label  # a heading such as 一、提案工作
                known.clear()
            continue
        if not label:
            if not is_blank(row):
                sheet.error(r + 1, sheet.headers.get(label_col), "有数值但没有指标名称", "missing_indicator")
            continue
        lead = row[0]
        if lead not in plain:
            if is_note(row):
                continue
            if type(lead) is str and plain_lead(lead):
                plain.add(lead)
        found = known.get(label)
        if found is None:
            code = ctx.indicators.match(label, group)
            if code is None or code not in dictionary:
                if is_total(label):
                    continue
                if label not in unknown:
                    unknown[label] = r + 1
                    ctx.unknown_columns.append((sheet.name, label))
                    sheet.warn(r + 1, sheet.headers.get(label_col),
                               f"指标“{label}”不在指标字典中，该行未导入（如是指标的另一种写法，可在指标字典中添加别名）",
                               "unknown_indicator")  # fmt: skip
                continue
            ind = dictionary[code]
            kind = _RATE if ind.is_rate else _COUNT if ind.is_count else _OTHER
            found = known[label] = (code, ind.is_rate, ind.kind == "stock", kind)
        code, is_rate, is_stock, kind = found
        if unit_col is not None:
            ucell = row[unit_col] if unit_col < n else None
            unit = unit_codes.get(ucell) if type(ucell) is str else None
            if unit is None:
                ulabel = cell_text(ucell)
                unit = ctx.units.match(ulabel) if ulabel else None
                if unit is None:
                    _unknown_unit(sheet, row, r, ulabel, unit_col, [(value_col,)])
                    continue
                if type(ucell) is str:
                    unit_codes[ucell] = unit
        else:
            unit = sheet.sheet_unit(r + 1)
            if unit is None:
                continue
        try:
            period = periods[period_key(row)]
        except (KeyError, IndexError):
            try:
                period = sheet.period(row)
            except _RowError as exc:
                sheet.error(r + 1, exc.column, str(exc), "bad_period")
                continue
        p = parsed.get(raw, _UNPARSED) if type(raw) is str else _UNPARSED
        if p is _UNPARSED:
            try:
                p = parse_value(raw)
            except BadValue as exc:
                sheet.error(r + 1, value_header, f"{label}：{exc}", "not_a_number")
                continue
            if type(raw) is str:
                parsed[raw] = p
        if p is None:
            continue
        value, approx, percent = p
        if is_rate and not percent and 0 <= value <= 1:
            value *= 100
        if kind == _COUNT:
            if not (value >= 0 and value.is_integer()):
                suspects.append(len(ctx.records))
        elif not (value >= 0 and (kind != _RATE or value <= 100)):
            suspects.append(len(ctx.records))
        add_start(len(recs.value))  # Records.add, inline: a run of one record per table row
        add_run((unit, period[0], period[1], sheet_name, r + 1))
        add_indicator(code)
        add_value(value)
        add_approx(approx)
        add_cum(period[2] and not is_stock)
        add_column(value_header)
    if len(ctx.records) != before:
        ctx.known.rows = None  # one row per record: validate groups them itself
