"""Formula cells (issue 9, item 1): never imported silently.

calamine reads a formula cell as the result saved with it, and a formula saved without one (openpyxl, many
generators) or with an error result (#DIV/0!) as an empty cell. A saved numeric result is used and the cell
listed; a missing or error result, and any result of a workbook that asks to be recalculated on opening
(fullCalcOnLoad, which openpyxl and XlsxWriter write), is an error naming the cell.
"""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest
from hostile_files import F, Raw, raw_xlsx
from loader_sheets import codes, make_xlsx, values

from loaders.safety import Limits, check_zip

HEAD = ["县区", "提交提案", "立案", "办复"]
REOPEN = "在 Excel/WPS 中打开并保存后再上传"


def _sheet(cell: object) -> dict[str, list[list[object]]]:
    return {"2024Q1": [HEAD, ["修水县", 40, 30, cell], ["武宁县", 20, 10, 8]]}


def test_formula_without_a_saved_result_openpyxl(parse) -> None:
    """openpyxl writes `=C2-5` with no result: today's import would drop the cell without a word."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "2024Q1"
    for row in _sheet("=C2-5")["2024Q1"]:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    pf = parse("2024Q1.xlsx", buf.getvalue())
    [err] = pf.errors
    assert (err.sheet, err.row, err.column, err.code) == ("2024Q1", 2, "办复", "formula_no_value")
    assert err.message == (
        "第2行“办复”列：单元格 D2 是公式“=C2-5”，文件中没有保存计算结果（程序生成的表格常见）：请" + REOPEN
    )


@pytest.mark.parametrize("error", ["#DIV/0!", "#VALUE!", "#REF!", "#N/A"])
def test_formula_whose_saved_result_is_an_error(parse, error) -> None:
    pf = parse("2024Q1.xlsx", raw_xlsx(_sheet(F("C2/(B2-40)", error=error))))
    [err] = pf.errors
    assert (err.sheet, err.row, err.column, err.code) == ("2024Q1", 2, "办复", "formula_error")
    assert (
        err.message
        == f"第2行“办复”列：单元格 D2 的公式“=C2/(B2-40)”计算结果是错误值 {error}：请改正公式，{REOPEN}"
    )


def test_an_error_value_without_a_formula(parse) -> None:
    [err] = parse("2024Q1.xlsx", raw_xlsx(_sheet(Raw("#REF!", "e")))).errors
    assert (
        err.code == "error_value"
        and err.message == f"第2行“办复”列：单元格 D2 是错误值 #REF!，应为数字：请改正，{REOPEN}"
    )


def test_nineteen_of_twenty_is_no_import(parse) -> None:
    """One #DIV/0! among 20 figures refuses the file; it never imports the other 19 in silence."""
    rows: list[list[object]] = [["县区", "提交提案", "立案"]]
    names = [
        "濂溪区",
        "浔阳区",
        "柴桑区",
        "武宁县",
        "修水县",
        "永修县",
        "德安县",
        "都昌县",
        "湖口县",
        "彭泽县",
    ]
    for n, unit in enumerate(names):
        rows.append([unit, 20 + n, F("1/0", error="#DIV/0!") if n == 6 else 10])
    pf = parse("2024Q1.xlsx", raw_xlsx({"汇总": rows}))
    assert not pf.ok and codes(pf, "error") == ["formula_error"]
    assert pf.errors[0].row == 8


def test_a_saved_result_is_used_and_the_cell_listed(parse) -> None:
    pf = parse("2024Q1.xlsx", raw_xlsx(_sheet(F("C2-5", cached=25))))
    assert pf.ok
    assert values(pf)[("360424", 2024, 1, "proposals_answered")] == 25
    assert pf.formula_cells == [("2024Q1", "D2")]
    [warning] = pf.warnings
    assert (warning.sheet, warning.code) == ("2024Q1", "formula_values")
    assert warning.message == (
        "单元格 D2 是公式，已按文件中保存的计算结果导入；如公式引用的数据改过而结果未更新，请" + REOPEN
    )


@pytest.mark.parametrize("cached", [0, 25])
def test_full_calc_on_load_results_are_not_trusted(parse, cached) -> None:
    """XlsxWriter saves each formula with a result of 0 and asks Excel to recalculate on opening."""
    pf = parse("2024Q1.xlsx", raw_xlsx(_sheet(F("C2-5", cached=cached)), full_calc_on_load=True))
    [err] = pf.errors
    assert (err.row, err.column, err.code) == (2, "办复", "formula_stale")
    assert err.message == (
        f"第2行“办复”列：单元格 D2 是公式“=C2-5”，而工作簿设置为打开时重新计算（fullCalcOnLoad），"
        f"文件中保存的结果 {cached} 不可信：请{REOPEN}"
    )


def test_long_table_formula_cells(parse) -> None:
    rows = [["单位", "指标", "数值"], ["修水县", "提交提案", 40], ["修水县", "立案", F("C2-10", cached=30)],
            ["修水县", "办复", F("C3/0", error="#VALUE!")]]  # fmt: skip
    pf = parse("2024Q1.xlsx", raw_xlsx({"2024Q1": rows}))
    [err] = pf.errors
    assert (err.row, err.column) == (4, "数值")
    assert err.message.startswith("第4行“数值”列：办复：单元格 C4 的公式“=C3/0”计算结果是错误值 #VALUE!")
    assert pf.formula_cells == [("2024Q1", "C3")]


def test_form_formula_cell_without_result(parse) -> None:
    rows = [["修水县政协2024年第一季度统计表"], ["1. 提交提案数", 40, "件"], ["2. 立案数", F("B2-10"), "件"]]
    [err] = parse("修水.xlsx", raw_xlsx({"Sheet1": rows})).errors
    assert (err.row, err.code) == (3, "formula_no_value")


def test_shared_formula_follower_without_result(parse) -> None:
    [err] = parse("2024Q1.xlsx", raw_xlsx(_sheet(F("")))).errors
    assert err.message.startswith("第2行“办复”列：单元格 D2 是公式（共享公式），文件中没有保存计算结果")


def test_total_row_formulas_are_not_figures(parse) -> None:
    """A 合计 row is never imported: its uncomputed SUMs are no error (the figures above are all there)."""
    sheet = _sheet(5)
    sheet["2024Q1"].append(["合计", F("SUM(B2:B3)"), F("SUM(C2:C3)"), F("SUM(D2:D3)")])
    pf = parse("2024Q1.xlsx", raw_xlsx(sheet))
    assert pf.ok and len(pf.records) == 6 and pf.formula_cells == []


def test_the_scan_finds_formula_parts_only_where_they_are() -> None:
    """The formula pass runs only for sheets the safety scan saw holding <f> or t="e"."""
    plain = make_xlsx({"A": [HEAD, ["修水县", 1, 1, 1]]})
    assert check_zip("a.xlsx", plain, Limits()).formula_parts == []
    data = raw_xlsx({"A": [HEAD, ["修水县", 1, 1, 1]], "B": _sheet(F("1+1", cached=2))["2024Q1"]}, True)
    scan = check_zip("b.xlsx", data, Limits())
    assert scan.formula_parts == ["xl/worksheets/sheet2.xml"] and scan.full_calc_on_load
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert "xl/worksheets/sheet2.xml" in names


def test_a_password_protected_ods_says_so(tmp_path):
    """LibreOffice's 使用密码保存: the manifest lists encryption data and the parts are ciphertext —
    refused as 设有打开密码, not as a damaged file (issue 9, Smaller). Built by hand as LibreOffice lays it out."""
    import io
    import os
    import zipfile

    from loaders import LoadError, read_book

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr(
            "META-INF/manifest.xml",
            '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest='
            '"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
            '<manifest:file-entry manifest:full-path="/" manifest:media-type='
            '"application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path='
            '"content.xml" manifest:media-type="text/xml" manifest:size="5129"><manifest:encryption-data '
            'manifest:checksum-type="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0#sha256-1k" '
            'manifest:checksum="x"><manifest:algorithm manifest:algorithm-name='
            '"http://www.w3.org/2001/04/xmlenc#aes256-cbc" manifest:initialisation-vector="x"/>'
            "</manifest:encryption-data></manifest:file-entry></manifest:manifest>",
        )
        z.writestr("content.xml", os.urandom(4000))
    try:
        read_book("2024年第一季度.ods", buf.getvalue())
    except LoadError as exc:
        assert exc.issues[0].code == "encrypted" and "设有打开密码" in exc.issues[0].message
    else:
        raise AssertionError("an encrypted .ods was read")
