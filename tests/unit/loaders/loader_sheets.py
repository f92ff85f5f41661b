"""Spreadsheets for loader tests, built by code (never committed as binaries)."""

from __future__ import annotations

import io
import random
import zipfile

import openpyxl

from domain.dictionary import Dictionary, Unit
from loaders import ParsedFile


def make_xlsx(
    sheets: dict[str, list[list[object]]],
    merged: dict[str, list[str]] | None = None,
    hidden: set[str] | frozenset[str] = frozenset(),
) -> bytes:
    """An xlsx with one sheet per entry (rows from A1), merged ranges like "A1:D1", hidden sheets by name."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(list(row))
        for rng in (merged or {}).get(name, []):
            ws.merge_cells(rng)
        if name in hidden:
            ws.sheet_state = "hidden"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def make_csv(rows: list[list[object]], encoding: str = "utf-8") -> bytes:
    """CSV bytes in the given encoding (utf-8, utf-8-sig, gbk …)."""
    lines = [",".join("" if v is None else str(v) for v in row) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def zip_bomb(size: int = 1024**3) -> bytes:
    """An xlsx-looking zip with one member of `size` zeros, streamed in chunks (~1 MB compressed per GB)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.xml", "<workbook/>")
        chunk = b"\0" * (16 * 1024 * 1024)
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
            for _ in range(size // len(chunk)):
                fh.write(chunk)
    return buf.getvalue()


def replace_member(xlsx: bytes, name: str, content: bytes) -> bytes:
    """The same workbook with one zip member replaced (to plant an entity bomb in xl/workbook.xml)."""
    src = zipfile.ZipFile(io.BytesIO(xlsx))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            out.writestr(info.filename, content if info.filename == name else src.read(info.filename))
    return buf.getvalue()


BILLION_LAUGHS = b"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets>
<sheet name="&lol9;" sheetId="1" r:id="rId1"
 xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"/></sheets></workbook>"""


def values(pf: ParsedFile) -> dict[tuple[str, int, int | None, str], float]:
    """(unit, year, quarter, indicator) -> value, for compact assertions."""
    return {(r.unit_code, r.year, r.quarter, r.indicator): r.value for r in pf.records}


def codes(pf: ParsedFile, level: str | None = None) -> list[str]:
    """The issue codes of a parse, optionally of one level."""
    return [i.code for i in pf.issues if level is None or i.level == level]


def messages(pf: ParsedFile) -> list[str]:
    return [i.message for i in pf.issues]


def bench_units(n: int = 100) -> list[Unit]:
    """A provincial unit list: n made-up counties."""
    return [Unit(f"36{k:04d}", f"测试{k}县", ()) for k in range(n)]


def _ratio(ind, vals: dict[str, float]) -> float | None:
    """A ratio computed from its parts as a sheet would write it (rates to one decimal), None for 0 of 0."""
    num, den = vals[ind.numerator], vals[ind.denominator]
    if den == 0:
        return 0.0 if num == 0 else None
    return round(num / den * 100, 1) if ind.is_rate else round(num / den, 2)


def make_big_xlsx(dictionary: Dictionary, units: list[Unit], years: range = range(2010, 2025)) -> bytes:
    """A provincial workbook: a row per unit and quarter (100 × 15 × 4 = 6,000), a column per importable
    indicator (40), every consistency rule obeyed, every ratio agreeing with its parts."""
    inds = [i for i in dictionary if i.importable]
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("汇总")
    ws.append(["全省政协系统履职数据统计表"])
    ws.append(["县（市、区）", "年度", "季度", *[i.name for i in inds]])
    rnd = random.Random(1)
    for y in years:
        for q in (1, 2, 3, 4):
            for u in units:
                vals: dict[str, float] = {}
                for ind in inds:  # a limit comes before the figures it bounds, in dictionary order
                    if ind.kind != "ratio":
                        low = 1 if ind.code == "members_total" else 0
                        vals[ind.code] = rnd.randint(low, int(vals.get(ind.not_above or "", 500)))
                row = {i.code: _ratio(i, vals) if i.kind == "ratio" else vals[i.code] for i in inds}
                ws.append([u.name, y, q, *[row[i.code] for i in inds]])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def make_big_long_csv(dictionary: Dictionary, units: list[Unit], years: range = range(2010, 2025)) -> bytes:
    """The provincial data as a long CSV (单位, 年度, 季度, 指标, 数值): a row per figure (240,000); each
    ratio agrees with its parts."""
    inds = [i for i in dictionary if i.importable]
    ruled = {i.code for i in inds if i.not_above} | {i.not_above for i in inds if i.not_above}
    rnd = random.Random(1)
    vals: dict[tuple[str, int, int, str], float] = {}
    for ind in inds:
        for y in years:
            for q in (1, 2, 3, 4):
                for u in units:
                    if ind.kind != "ratio":  # "7.0", as pandas writes it; the figures under a rule all equal
                        vals[(ind.code, y, q, u.code)] = (
                            5.0 if ind.code in ruled else float(rnd.randint(1, 9))
                        )
    lines = ["单位,年度,季度,指标,数值"]
    for ind in inds:
        for y in years:
            for q in (1, 2, 3, 4):
                for u in units:
                    if ind.kind == "ratio":
                        parts = {c: vals[(c, y, q, u.code)] for c in (ind.numerator, ind.denominator)}
                        v = _ratio(ind, parts)
                    else:
                        v = vals[(ind.code, y, q, u.code)]
                    lines.append(f"{u.name},{y},{q},{ind.name},{v}")
    return ("\n".join(lines) + "\n").encode("utf-8-sig")
