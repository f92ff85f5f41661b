"""Long tables and forms: one figure per row, its indicator named in a label column (and its unit and
period in their own columns, or stated for the whole sheet).

A long table repeats its indicator names, units, periods and values thousands of times: each distinct
cell is looked up once.
"""

from __future__ import annotations

from loaders.fold import cell_text
from loaders.sheet import COUNT, OTHER, RATE, RowError, Sheet, unknown_unit
from loaders.table import is_blank, is_note, is_total, plain_lead
from loaders.values import BadValue, Parsed, parse_value

_UNPARSED = Parsed(float("nan"), False, False)  # a cell not parsed yet, told apart by identity


def read_rows(sheet: Sheet) -> None:
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
    # label (under the current group) -> code, is_stock, value rule, upper bound
    known: dict[str, tuple[str, bool, int, float]] = {}
    rates = ctx.rates
    plain: set[object] = set()  # first cells that cannot start a note
    unit_codes: dict[object, str] = {}  # unit cells (str) -> unit code
    parsed: dict[str, Parsed | None] = {}  # value cells (str) -> parse_value
    periods, period_key = sheet._periods, sheet.key_of
    suspects = ctx.known.suspects
    assert suspects is not None
    before = len(ctx.records)
    # A form (one unit per sheet, no unit column) names a figure by its value header and the indicator
    # as the row writes it (数量（1. 提交提案数）), so a message names the indicator, not only 数量; a long
    # table's messages name the indicator already.
    columns: dict[str, str] = {}
    form = unit_col is None
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
            if not is_blank(row) and not is_note(row):
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
            kind = RATE if ind.is_rate else COUNT if ind.is_count else OTHER
            found = known[label] = (code, ind.kind == "stock", kind, ind.upper)
        code, is_stock, kind, upper = found
        if unit_col is not None:
            ucell = row[unit_col] if unit_col < n else None
            unit = unit_codes.get(ucell) if type(ucell) is str else None
            if unit is None:
                ulabel = cell_text(ucell)
                unit = ctx.units.match(ulabel) if ulabel else None
                if unit is None:
                    unknown_unit(sheet, row, r, ulabel, unit_col, [(value_col,)])
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
            except RowError as exc:
                sheet.error(r + 1, exc.column, str(exc), "bad_period")
                continue
        p = parsed.get(raw, _UNPARSED) if type(raw) is str else _UNPARSED
        if p is _UNPARSED:
            try:
                p = parse_value(raw)
            except BadValue as exc:
                sheet.error(r + 1, value_header, f"{label}：{exc}", exc.code)
                continue
            if type(raw) is str:
                parsed[raw] = p
        if p is None:
            continue
        value, approx, percent = p
        if kind == COUNT:
            if not (0 <= value <= upper and value.is_integer()):
                suspects.append(len(ctx.records))
        elif kind == RATE:
            rates.setdefault(code, []).append((len(ctx.records), value, percent))
        elif not 0 <= value <= upper:
            suspects.append(len(ctx.records))
        add_start(len(recs.value))  # Records.add, inline: a run of one record per table row
        add_run((unit, period[0], period[1], sheet_name, r + 1))
        add_indicator(code)
        add_value(value)
        add_approx(approx)
        add_cum(period[2] and not is_stock)
        column = columns.get(label)
        if column is None:
            column = columns[label] = (
                (f"{value_header}（{label}）" if value_header else label) if form else value_header
            )
        add_column(column)
    if len(ctx.records) != before:
        ctx.known.rows = None  # one row per record: validate groups them itself
