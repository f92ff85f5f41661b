"""Formula cells of an xlsx/xlsm, which calamine reads as their saved results without saying so.

A formula saved without its result (what openpyxl and many generators write) and one whose result is an
error (#DIV/0!, #VALUE!, #REF!) both arrive from calamine as an empty cell: the figure would be dropped
without a word. So the sheet parts that the safety scan saw holding `<f>` or `t="e"` (loaders/safety.py,
in the pass it makes anyway) are read once more here, streaming, for those cells only:

- a formula with a saved numeric result keeps it, and the cell is listed (the import says which cells
  held formulas);
- a formula without a result, with an error result, or in a workbook that asks to be recalculated on
  opening (`fullCalcOnLoad`: its saved results were never computed by a spreadsheet program), and an
  error value, become `values.Uncomputed` in the grid: reading that cell as a figure is an error naming
  it, with what to do (在 Excel/WPS 中打开并保存后再上传).

A workbook without formulas costs nothing here.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from dataclasses import dataclass

from defusedxml.ElementTree import iterparse, parse

from loaders.issues import column_letter
from loaders.values import Uncomputed

_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


@dataclass(frozen=True)
class FormulaCell:
    """One `<c>` holding a formula or an error value, as saved."""

    row: int  # 0-based
    col: int  # 0-based
    formula: str | None  # None for an error value without a formula; "" for a shared formula's follower
    cached: str | None  # the saved result (<v>), None when none was saved
    is_error: bool  # t="e": the saved result is an error value


def sheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> its part (xl/worksheets/sheet1.xml), from the workbook and its relationships."""
    try:
        book = parse(io.BytesIO(zf.read("xl/workbook.xml"))).getroot()
        rels = parse(io.BytesIO(zf.read("xl/_rels/workbook.xml.rels"))).getroot()
    except KeyError:
        return {}
    targets = {r.get("Id"): r.get("Target", "") for r in rels if r.tag.endswith("Relationship")}
    out: dict[str, str] = {}
    for el in book.iter():
        if el.tag.endswith("}sheet") or el.tag == "sheet":
            target = targets.get(el.get(f"{{{_REL_NS}}}id") or el.get("id"), "")
            if target:
                part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
                out[el.get("name", "")] = part
    return out


def _ref(ref: str) -> tuple[int, int]:
    """'B3' -> (2, 1)."""
    col = 0
    k = 0
    while k < len(ref) and ref[k].isalpha():
        col = col * 26 + ord(ref[k].upper()) - 64
        k += 1
    return int(ref[k:]) - 1, col - 1


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def read_formula_cells(zf: zipfile.ZipFile, part: str) -> list[FormulaCell]:
    """The formula and error cells of one sheet part, in one streaming pass (elements cleared as read)."""
    found: list[FormulaCell] = []
    row, col = -1, -1
    with zf.open(part) as fh:
        for event, el in iterparse(fh, events=("start", "end")):
            name = _local(el.tag)
            if event == "start":
                if name == "row":
                    r = el.get("r")
                    row, col = (int(r) - 1 if r else row + 1), -1
                continue
            if name != "c":
                if name == "row":
                    el.clear()
                continue
            r = el.get("r")
            row, col = _ref(r) if r else (row, col + 1)
            is_error = el.get("t") == "e"
            formula = cached = None
            for child in el:
                cname = _local(child.tag)
                if cname == "f":
                    formula = child.text or ""
                elif cname == "v":
                    cached = child.text
            if formula is not None or is_error:
                found.append(FormulaCell(row, col, formula, cached if cached != "" else None, is_error))
            el.clear()
    return found


def apply_formula_cells(
    rows: list[list[object]], cells: list[FormulaCell], full_calc_on_load: bool
) -> dict[tuple[int, int], str]:
    """Put an `Uncomputed` in the grid for each cell whose figure the file does not hold; returns the cells
    whose saved results stand, (row, col) -> 'B3', for the import to list."""
    kept: dict[tuple[int, int], str] = {}
    for cell in cells:
        ref = f"{column_letter(cell.col)}{cell.row + 1}"
        if cell.is_error:
            mark = Uncomputed(ref, cell.formula, error=cell.cached or "#错误")
        elif cell.formula is None:
            continue
        elif cell.cached is None:
            mark = Uncomputed(ref, cell.formula)
        elif full_calc_on_load:
            mark = Uncomputed(ref, cell.formula, stale=cell.cached)
        else:
            kept[(cell.row, cell.col)] = ref
            continue
        while len(rows) <= cell.row:  # calamine's grid ends at the last cell with a value
            rows.append([])
        row = rows[cell.row]
        if len(row) <= cell.col:
            row.extend([""] * (cell.col + 1 - len(row)))
        row[cell.col] = mark
    return kept
