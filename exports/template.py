"""The Excel template counties fill in (`cppcc template`, and the upload page's download).

One sheet per domain: a row per unit and quarter, a column per importable indicator. Units and
quarters are dropdowns, each header carries a comment with the indicator's definition and unit,
the header row is frozen. A filled template imports with no warnings.

>>> write_template(Path("模板.xlsx"), load_dictionary(), demo_units(), year=2024)   # doctest: +SKIP
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from domain.dictionary import DOMAINS, Dictionary, Unit
from i18n import t

UNIT_HEADER = "县（市、区）"
YEAR_HEADER = "年度"
QUARTER_HEADER = "季度"
QUARTERS = ("第一季度", "第二季度", "第三季度", "第四季度")
UNITS_SHEET = "单位列表"
_HEAD_FILL = PatternFill("solid", fgColor="F2DCDB")
_THIN = Side(style="thin", color="BFBFBF")


def _text(cell: Any, text: str) -> Any:
    """A cell holding `text` as text, even when it starts with = (openpyxl would write a live formula:
    a unit or indicator named =HYPERLINK(…) must stay a name in Excel and WPS)."""
    cell.value = text
    cell.data_type = "s"
    return cell


def build_template(dictionary: Dictionary, units: list[Unit], year: int) -> bytes:
    """The workbook as bytes (for a download button or a file)."""
    wb = Workbook()
    wb.remove(wb.active)
    lists = wb.create_sheet(UNITS_SHEET)
    for n, u in enumerate(units, start=1):
        _text(lists.cell(row=n, column=1), u.name)
    lists.sheet_state = "hidden"
    for domain in DOMAINS:
        inds = [i for i in dictionary.by_domain(domain) if i.kind in ("flow", "stock")]
        if not inds:
            continue
        ws = wb.create_sheet(t(f"domain.{domain}", "zh"), index=len(wb.sheetnames) - 1)
        headers = [UNIT_HEADER, YEAR_HEADER, QUARTER_HEADER] + [i.name for i in inds]
        for c, text in enumerate(headers, start=1):
            cell = _text(ws.cell(row=1, column=c), text)
            cell.font = Font(bold=True)
            cell.fill = _HEAD_FILL
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            cell.border = Border(top=_THIN, bottom=_THIN, left=_THIN, right=_THIN)
            ws.column_dimensions[get_column_letter(c)].width = max(10, len(text) * 2 + 4)
        for c, ind in enumerate(inds, start=4):
            note = f"{ind.name}（{ind.unit}）\n{ind.description}\n填写整数；不填表示未报送，不要填 0 代替。"
            if ind.kind == "stock":
                note += "\n时点数：填季度末的数值。"
            ws.cell(row=1, column=c).comment = Comment(note, "cppcc-dashboard", width=260, height=140)
        ws.cell(row=1, column=1).comment = Comment("从下拉列表中选择填报单位", "cppcc-dashboard")
        ws.cell(row=1, column=3).comment = Comment("本期（当季）数，不是累计数", "cppcc-dashboard")
        last = 1 + max(len(units), 1) * 4  # a store without units yet still gets a usable sheet
        units_dv = DataValidation(
            type="list",
            formula1=f"={UNITS_SHEET}!$A$1:$A${len(units)}",
            allow_blank=False,
            showErrorMessage=True,
            errorTitle="填报单位",
            error="请从下拉列表中选择填报单位",
        )
        quarter_dv = DataValidation(
            type="list",
            formula1='"' + ",".join(QUARTERS) + '"',
            showErrorMessage=True,
            errorTitle="季度",
            error="请选择第一季度至第四季度",
        )
        number_dv = DataValidation(
            type="whole",
            operator="greaterThanOrEqual",
            formula1="0",
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="数值",
            error="请填写不小于 0 的整数",
        )
        for dv in (units_dv, quarter_dv, number_dv):
            ws.add_data_validation(dv)
        units_dv.add(f"A2:A{last}")
        quarter_dv.add(f"C2:C{last}")
        number_dv.add(f"D2:{get_column_letter(len(headers))}{last}")
        year_dv = DataValidation(
            type="whole",
            operator="between",
            formula1="2000",
            formula2="2100",
            showErrorMessage=True,
            errorTitle="年度",
            error=f"请填写四位年份，如 {year}",
        )
        ws.add_data_validation(year_dv)
        year_dv.add(f"B2:B{last}")
        ws.cell(row=1, column=2).comment = Comment(f"填写四位年份，如 {year}", "cppcc-dashboard")
        ws.freeze_panes = "B2"
        ws.row_dimensions[1].height = 36
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def write_template(path: Path, dictionary: Dictionary, units: list[Unit], year: int) -> None:
    path.write_bytes(build_template(dictionary, units, year))
