"""One reader per format, each giving plain grids: xlsx/xlsm/xls/ods through calamine, CSV through csv.

calamine reads a 6,000 × 40 sheet ~25x faster than openpyxl and exposes merged ranges, so openpyxl
is not needed for reading at all. Hidden and chart sheets are listed as skipped, never dropped silently.

>>> book = read_book("a.csv", "县区,提交提案\\n修水县,35\\n".encode("gbk"))
>>> book.grids[0].rows, book.encoding
([['县区', '提交提案'], ['修水县', '35']], 'gb18030')
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from typing import Any

import python_calamine as calamine

from loaders.encoding import decode_csv
from loaders.formulas import apply_formula_cells, read_formula_cells, sheet_parts
from loaders.issues import LoadError, file_error
from loaders.safety import (
    Limits,
    ZipScan,
    binary_kind,
    check_size,
    check_zip,
    encrypted_error,
    is_encrypted_ole,
    sniff,
)

_EXCEL_EXT = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods", ".et")


@dataclass
class Grid:
    """One sheet as rows of cell values; rows[0] is Excel row 1, column 0 is column A."""

    name: str | None  # None for a CSV file
    rows: list[list[Any]]  # calamine gives str, float, int, bool, dates; CSV gives str
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # r0, c0, r1, c1 inclusive
    formulas: dict[tuple[int, int], str] = field(default_factory=dict)  # formula cells read as their results


@dataclass
class Book:
    grids: list[Grid]
    skipped: list[tuple[str, str]] = field(default_factory=list)
    encoding: str | None = None  # CSV only


def read_book(file: str, data: bytes, limits: Limits | None = None) -> Book:
    """Read any accepted file into grids; raises LoadError (Chinese) when the file cannot be read."""
    limits = limits or Limits()
    check_size(file, data, limits)
    kind = sniff(data)
    lower = file.lower()
    if kind == "zip":
        scan = check_zip(file, data, limits)
        return _read_calamine(file, data, scan)
    if kind == "ole":
        if is_encrypted_ole(data):
            raise encrypted_error(file)
        return _read_calamine(file, data)
    if kind == "binary":
        raise file_error(
            file,
            "not_spreadsheet",
            f"文件实际是{binary_kind(data)}，不是 Excel 或 CSV 表格：请上传 .xlsx 或 .csv 文件",
        )
    if lower.endswith(_EXCEL_EXT):
        head = data[:200].lstrip().lower()
        what = "网页（HTML）" if head.startswith((b"<html", b"<!doctype", b"<table")) else "文本"
        raise file_error(
            file,
            "not_spreadsheet",
            f"文件扩展名是 Excel，但内容是{what}，不是 Excel 工作簿：请用 Excel 打开后“另存为” .xlsx 再上传",
        )
    return _read_csv(file, data)


def _read_calamine(file: str, data: bytes, scan: ZipScan | None = None) -> Book:
    try:
        wb = calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        book = Book(grids=[])
        zf = zipfile.ZipFile(io.BytesIO(data)) if scan is not None and scan.formula_parts else None
        parts = sheet_parts(zf) if zf is not None else {}
        for meta in wb.sheets_metadata:
            if meta.typ != calamine.SheetTypeEnum.WorkSheet:
                book.skipped.append((meta.name, "图表或宏表，不是工作表"))
                continue
            if meta.visible != calamine.SheetVisibleEnum.Visible:
                book.skipped.append((meta.name, "隐藏工作表"))
                continue
            sheet = wb.get_sheet_by_name(meta.name)
            rows = sheet.to_python(skip_empty_area=False)
            merged = [(a[0], a[1], b[0], b[1]) for a, b in (sheet.merged_cell_ranges or [])]
            grid = Grid(meta.name, rows, merged)
            part = parts.get(meta.name)
            if zf is not None and scan is not None and part in scan.formula_parts:
                cells = read_formula_cells(zf, part)
                grid.formulas = apply_formula_cells(grid.rows, cells, scan.full_calc_on_load)
            book.grids.append(grid)
        return book
    except calamine.PasswordError as exc:
        raise encrypted_error(file) from exc
    except LoadError:
        raise
    except Exception as exc:  # calamine raises several types (CalamineError, XmlError, ZipError, ValueError)
        if re.search(r"passw|encrypt|filepass", str(exc), re.I):  # an .xls with a password says so this way
            raise encrypted_error(file) from exc
        raise file_error(
            file,
            "unreadable",
            f"无法读取工作簿：{type(exc).__name__}。文件可能已损坏，请用 Excel 重新保存后上传",
        ) from exc


def _read_csv(file: str, data: bytes) -> Book:
    text, encoding = decode_csv(data, file)
    first = text.split("\n", 1)[0]
    delimiter = "\t" if first.count("\t") > first.count(",") else ","
    try:
        rows: list[list[Any]] = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise file_error(file, "bad_csv", f"CSV 文件格式有误：{exc}") from exc
    return Book(grids=[Grid(None, rows)], encoding=encoding)
