"""Wide tables: a row per unit (or per unit and period), a column per indicator.

The hot path of a provincial workbook (240,000 cells): a row whose value cells are all floats
(calamine's numbers) is added to the record columns with one `extend` per column (records.Records);
the sums a 合计 row is checked against are added only when such a row comes; what validate would
otherwise find out in passes over all records is kept in `ctx.known`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import repeat
from operator import add, itemgetter, le
from typing import Any

from loaders.sheet import COUNT, OTHER, RATE, RowError, Sheet, unknown_unit
from loaders.table import SUBTOTAL, first_text, is_blank, is_note, is_total, text
from loaders.values import BadValue, format_number, parse_value


def read_wide(sheet: Sheet) -> None:
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
    rates = ctx.rates  # by indicator, for the whole file (loaders/ratios.py)
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
    kinds = [RATE if col[3] else COUNT if ctx.dictionary[col[1]].is_count else OTHER for col in cols]
    counts_of = _getter([k for k, kind in enumerate(kinds) if kind == COUNT])
    caps = tuple(ctx.dictionary[code].upper for code in codes)  # a rate's bound (100) holds bare or in %
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
                unknown_unit(sheet, row, r, label, unit_col, cols)
                continue
        try:
            period = sheet.period(row)
        except RowError as exc:
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
                # A negative figure, one above its bound, a NaN or an infinity (they fail `le`) or a
                # fractional count: the row's records are suspects. Rates once scaled are ratios.py's to check.
                if (
                    not min(values) >= 0
                    or not all(map(le, values, caps))
                    or not all(map(float.is_integer, counts_of(values)))
                ):
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
                    sheet.error(excel_row, header, str(exc), exc.code)
                    gaps.add(k)
                    continue
                if p is None:
                    gaps.add(k)
                    continue
                value, approx, percent = p
            if is_rate:
                rates.setdefault(code, []).append((len(out), value, percent))
            else:
                grand[k] += value
                sub[k] += value
                if not (0 <= value <= caps[k] and (kinds[k] != COUNT or value.is_integer())):
                    suspects.append(len(out))
            made.append(code)
            out.add(
                unit, year, quarter, code, value, approx, cum and not is_stock, sheet_name, excel_row, header
            )
        if made and known_rows is not None:
            known_rows.append((base, tuple(made), cum))
    for k, code, kind in zip(range(n_cols), codes, kinds, strict=True):  # the fast rows' rates
        if kind == RATE:
            at = map(itemgetter(k), fast_values)
            rates.setdefault(code, []).extend(zip(map(add, fast_bases, repeat(k)), at, repeat(False)))


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


def _check_total(sheet: Sheet, row: list[object], r: int, cols: list, grand: list[float], sub: list[float],
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
