"""A sheet -> long records: find the table, read its title lines for the period and unit, warn about
columns that are no indicator, and hand the rows to the reader of its shape (loaders/wide.py or
loaders/long.py); the shared parts live in loaders/sheet.py.
"""

from __future__ import annotations

from loaders.fold import cell_text
from loaders.issues import column_letter
from loaders.long import read_rows
from loaders.periods import Hint, find_period, merge_hints
from loaders.readers import Grid
from loaders.sheet import FileContext, Sheet
from loaders.table import (
    Layout,
    context_lines,
    fill_merged,
    is_blank,
    locate,
    reporting_unit,
    text,
    unit_line_row,
)
from loaders.wide import read_wide

__all__ = ["FileContext", "extract_sheet"]


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
    sheet = Sheet(ctx, grid.name, rows, layout, hint)
    if layout.role("unit") is None:
        sheet.unit, sheet.unit_stated = reporting_unit(lines, grid.name, ctx.units)
        sheet.unit_row = unit_line_row(rows, layout)
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
        read_wide(sheet)
    else:
        read_rows(sheet)
    if grid.formulas:
        _list_formula_values(sheet, grid, before)
    if len(ctx.records) == before and all(is_blank(r) for r in rows[layout.first_data :]):
        # listed, not warned: a template's unfilled domain sheets are normal; a file with no data at all is an error
        ctx.skipped.append((sheet_name, "表头下没有数据行"))


def _column_has_data(rows: list[list[object]], layout: Layout, c: int) -> bool:
    return any(c < len(r) and cell_text(r[c]) for r in rows[layout.first_data :])


_LISTED = 20  # formula cells a warning names; all of them are in ParsedFile.formula_cells


def _list_formula_values(sheet: Sheet, grid: Grid, before: int) -> None:
    """Figures read from formula cells (their saved results): listed, and said in one warning per sheet."""
    layout, records = sheet.layout, sheet.ctx.records
    col_of: dict[str, int] = {}
    for col in layout.columns:
        col_of.setdefault(col.header, col.index)
    value_col = layout.value_col if layout.shape == "rows" else None
    used: list[str] = []
    for i in range(before, len(records)):
        rec = records[i]
        c = value_col if value_col is not None else col_of.get(rec.column)
        ref = grid.formulas.get((rec.row - 1, c)) if c is not None else None
        if ref is not None:
            used.append(ref)
    if not used:
        return
    sheet.ctx.formula_cells.extend((grid.name, ref) for ref in used)
    more = f"等 {len(used)} 个单元格" if len(used) > _LISTED else ""
    sheet.warn(
        None, None,
        f"单元格 {'、'.join(used[:_LISTED])}{more} 是公式，已按文件中保存的计算结果导入；如公式引用的数据改过而结果未更新，"
        "请在 Excel/WPS 中打开并保存后再上传",
        "formula_values",
    )  # fmt: skip
