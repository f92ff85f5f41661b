"""The data behind a chart as files people open in Excel: CSV (UTF-8 with BOM) and XLSX.

Cells that start with = + - @ are escaped with a leading apostrophe in both, so a unit or file name
can never run as a formula (CSV injection). Numbers stay numbers.

>>> escape_cell("=1+2")
"'=1+2"
>>> to_csv_bytes(pd.DataFrame({"单位": ["修水县"], "数值": [35]}))[:3] == b"\\xef\\xbb\\xbf"
True
"""

from __future__ import annotations

import io
from collections.abc import Sequence

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

_DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def escape_cell(value: object) -> object:
    """Text starting with a formula character gets a leading apostrophe; everything else is unchanged."""
    if isinstance(value, str) and value.startswith(_DANGEROUS):
        return "'" + value
    return value


def escaped(df: pd.DataFrame) -> pd.DataFrame:
    """A copy with every text cell (and header) escaped."""
    out = df.copy()
    out.columns = [escape_cell(str(c)) for c in out.columns]
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(escape_cell)
    return out


def tidy(df: pd.DataFrame, decimals: int = 2) -> pd.DataFrame:
    """Numbers as the pages show them: whole numbers without '.0' (3202, not 3202.0), others rounded
    (2.24, not 2.2432854465958774). Raw data (a batch's values) is written with `raw=True` instead.

    >>> tidy(pd.DataFrame({"a": [3202.0, None], "b": [2.2432854465958774, 1.0]})).to_dict("list")
    {'a': [3202, None], 'b': [2.24, 1.0]}
    """
    out = df.copy()
    for col in out.columns:
        s = out[col]
        if pd.api.types.is_float_dtype(s):
            present = s.dropna()
            if len(present) and (present == present.round()).all() and present.abs().max() < 2**53:
                out[col] = s.round().astype("Int64")
            else:
                out[col] = s.round(decimals)
    return out


def to_csv_bytes(df: pd.DataFrame, raw: bool = False) -> bytes:
    """UTF-8 with BOM, so Excel on Chinese Windows opens it without garbling."""
    return escaped(df if raw else tidy(df)).to_csv(index=False).encode("utf-8-sig")


def to_xlsx_bytes(df: pd.DataFrame, sheet: str = "数据", raw: bool = False) -> bytes:
    """One sheet, bold frozen header, columns wide enough for Chinese text."""
    data = escaped(df if raw else tidy(df))
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = sheet[:31]
    ws.append([str(c) for c in data.columns])
    for row in data.itertuples(index=False):
        ws.append([None if v is None or v is pd.NA or (isinstance(v, float) and v != v) else v for v in row])
    for c, name in enumerate(data.columns, start=1):
        ws.cell(row=1, column=c).font = Font(bold=True)
        width = max([len(str(name))] + [len(str(v)) for v in data.iloc[:200, c - 1]]) * 2 + 2
        ws.column_dimensions[get_column_letter(c)].width = min(max(width, 8), 60)
    ws.freeze_panes = "A2"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _sheet_title(n: int, title: str, used: set[str]) -> str:
    """'01 主要指标': Excel allows 31 characters and none of []:*?/\\ in a sheet name, each name once."""
    clean = "".join("_" if ch in "[]:*?/\\" else ch for ch in title).strip("' ") or "数据"
    name = f"{n:02d} {clean}"[:31]
    while name in used:
        name = name[:28] + f"~{len(used)}"
    used.add(name)
    return name


def sheets_xlsx(sheets: Sequence[tuple[str, Sequence[str], pd.DataFrame]]) -> bytes:
    """Several tables in one workbook, one sheet each: (title, lines above the table, table).

    Every text cell is escaped like `to_xlsx_bytes` (a unit named =HYPERLINK(…) stays text)."""
    wb = Workbook()
    default = wb.active
    used: set[str] = set()
    for n, (title, head, df) in enumerate(sheets, start=1):
        ws = wb.create_sheet(_sheet_title(n, title, used))
        data = escaped(tidy(df))
        for line in head:
            ws.append([escape_cell(str(line))])
        ws.cell(row=1, column=1).font = Font(bold=True, size=13)
        top = len(head) + 2
        ws.append([])
        ws.append([str(c) for c in data.columns])
        for row in data.itertuples(index=False):
            ws.append(
                [None if v is None or v is pd.NA or (isinstance(v, float) and v != v) else v for v in row]
            )
        for c, name in enumerate(data.columns, start=1):
            ws.cell(row=top, column=c).font = Font(bold=True)
            width = max([len(str(name))] + [len(str(v)) for v in data.iloc[:200, c - 1]]) * 2 + 2
            ws.column_dimensions[get_column_letter(c)].width = min(max(width, 8), 60)
        ws.freeze_panes = ws.cell(row=top + 1, column=1)
    if default is not None and sheets:
        wb.remove(default)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
