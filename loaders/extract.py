"""A located table -> long records: units, periods and values read row by row, problems logged.

The inner loop over value cells is the hot path (240,000 cells in a provincial workbook): unit
names, period cells and headers are looked up once per distinct string, floats skip the text parser,
and records are built with `make_record`.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from loaders.fold import cell_text
from loaders.issues import IssueLog, column_letter, where
from loaders.match import IndicatorMatcher, UnitMatcher
from loaders.periods import Hint, PeriodError, find_period, merge_hints, resolve_period
from loaders.readers import Grid
from loaders.records import Record, make_record
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
    reporting_unit,
    text,
)
from loaders.values import BadValue, Parsed, format_number, parse_value, rate_scale
from metrics.dictionary import Dictionary

_PERIOD_ROLES = ("year", "quarter", "period", "basis")


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
    records: list[Record] = field(default_factory=list)
    unknown_columns: list[tuple[str | None, str]] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)


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
    _periods: dict[tuple[object, ...], tuple[int, int | None, bool]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.cols = {role: self.layout.role(role) for role in _PERIOD_ROLES}
        self.headers = {c.index: c.header for c in self.layout.columns}

    def error(self, row: int | None, column: str | None, message: str, code: str) -> None:
        if self.ctx.log.full("error", self.name, code):
            return
        self.ctx.log.add("error", self.name, row, column, where(row, column) + message, code)

    def warn(self, row: int | None, column: str | None, message: str, code: str) -> None:
        self.ctx.log.add("warning", self.name, row, column, where(row, column) + message, code)

    def period(self, row: list[object]) -> tuple[int, int | None, bool]:
        """(year, quarter, cumulative) for one row; raises _RowError naming the bad cell."""
        key = tuple(row[c] if c is not None and c < len(row) else None for c in self.cols.values())
        found = self._periods.get(key)
        if found is None:
            found = self._periods[key] = self._resolve(row)
        return found

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

    def record(
        self, unit: str, period: tuple[int, int | None, bool], code: str, p: Parsed, r: int, column: str
    ) -> Record:
        kind = self.ctx.dictionary[code].kind
        return make_record(
            unit, period[0], period[1], code, p.value, p.approximate, period[2] and kind != "stock",
            self.name, r + 1, column,
        )  # fmt: skip


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
    rates: dict[int, list[tuple[int, Parsed]]] = {}
    out = ctx.records
    units = ctx.units
    for r in range(layout.first_data, len(rows)):
        row = rows[r]
        label = text(row, unit_col) if unit_col is not None else ""
        unit = units.match(label) if label else None
        if unit is None:
            lead = label or first_text(row, first_value_col)
            if lead and is_total(lead):
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
        sheet_name = sheet.name
        excel_row = r + 1
        for k, (c, code, header, is_rate, is_stock) in enumerate(cols):
            v = row[c] if c < len(row) else None
            if v == "" or v is None:
                gaps.add(k)
                continue
            if type(v) is float:
                value, approx = v, False
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
                value, approx = p.value, p.approximate
                if is_rate:
                    rates.setdefault(c, []).append((len(out), p))
            if is_rate:
                if type(v) is float:
                    rates.setdefault(c, []).append((len(out), Parsed(v, False, False)))
            else:
                grand[k] += value
                sub[k] += value
            out.append(
                make_record(
                    unit,
                    year,
                    quarter,
                    code,
                    value,
                    approx,
                    cum and not is_stock,
                    sheet_name,
                    excel_row,
                    header,
                )
            )
    _scale_rates(out, rates)


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


def _scale_rates(out: list[Record], rates: dict[int, list[tuple[int, Parsed]]]) -> None:
    for found in rates.values():
        scale = rate_scale([p for _, p in found])
        if scale != 1.0:
            for i, p in found:
                if not p.percent:
                    out[i] = dataclasses.replace(out[i], value=p.value * scale)


def _read_rows(sheet: _Sheet) -> None:
    """Long tables and forms: one figure per row, its indicator named in the label column."""
    ctx, layout, rows = sheet.ctx, sheet.layout, sheet.rows
    label_col, value_col = layout.label_col, layout.value_col
    assert label_col is not None and value_col is not None
    unit_col = layout.role("unit")
    value_header = sheet.headers.get(value_col, "")
    group = ""
    unknown: dict[str, int] = {}
    for r in range(layout.first_data, len(rows)):
        row = rows[r]
        label = text(row, label_col)
        raw = row[value_col] if value_col < len(row) else None
        if raw is None or raw == "":
            if label and not is_note(row):
                group = label  # a heading such as 一、提案工作
            continue
        if not label:
            if not is_blank(row):
                sheet.error(r + 1, sheet.headers.get(label_col), "有数值但没有指标名称", "missing_indicator")
            continue
        if is_note(row):
            continue
        code = ctx.indicators.match(label, group)
        if code is None or code not in ctx.dictionary:
            if is_total(label):
                continue
            if label not in unknown:
                unknown[label] = r + 1
                ctx.unknown_columns.append((sheet.name, label))
                sheet.warn(r + 1, sheet.headers.get(label_col),
                           f"指标“{label}”不在指标字典中，该行未导入（如是指标的另一种写法，可在指标字典中添加别名）",
                           "unknown_indicator")  # fmt: skip
            continue
        if unit_col is not None:
            ulabel = text(row, unit_col)
            unit = ctx.units.match(ulabel) if ulabel else None
            if unit is None:
                _unknown_unit(sheet, row, r, ulabel, unit_col, [(value_col,)])
                continue
        else:
            unit = sheet.sheet_unit(r + 1)
            if unit is None:
                continue
        try:
            period = sheet.period(row)
        except _RowError as exc:
            sheet.error(r + 1, exc.column, str(exc), "bad_period")
            continue
        try:
            p = parse_value(raw)
        except BadValue as exc:
            sheet.error(r + 1, value_header, f"{label}：{exc}", "not_a_number")
            continue
        if p is None:
            continue
        if ctx.dictionary[code].is_rate and not p.percent and 0 <= p.value <= 1:
            p = Parsed(p.value * 100, p.approximate, False)
        ctx.records.append(sheet.record(unit, period, code, p, r, value_header))
