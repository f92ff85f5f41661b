"""Forms as counties fill them in (issue 9): a 填报单位 line with the office, the seal and a date; signature
and contact lines under the table; 无 / / / — for none; and, when the unit cannot be found, the row of
the unit line named, not a data row.
"""

from __future__ import annotations

import pytest
from loader_sheets import codes, make_xlsx, values

UNIT_LINE = "填报单位：修水县政协办公室（盖章）      填报日期：2024年7月5日"


def _form(unit_line: str = UNIT_LINE, title: str = "2024年第二季度政协履职情况统计表") -> list[list[object]]:
    return [
        [title],
        [unit_line],
        ["一、提案工作"],
        ["1. 提交提案数", 35, "件"],
        ["2. 立案数", 30, "件"],
        ["3. 重点提案数", "无", "件"],
        ["4. 集体提案数", "/", "件"],
        ["5. 办复数", "—", "件"],
        ["二、社情民意"],
        ["1. 收集", 12, "篇"],
        ["填表人：张三", "", "审核人：李四"],
        ["联系电话：0792-7222222", 13907921234],
        ["审核人", "王五", "联系电话", "0792-1234567"],
        ["", "填表人：张三   联系电话：13907921234"],
    ]


def test_a_county_form_as_filled_in(parse) -> None:
    pf = parse("修水县.xlsx", make_xlsx({"Sheet1": _form()}))
    assert pf.ok, pf.issues
    assert pf.warnings == []  # contact lines are no unknown indicators
    assert values(pf) == {
        ("360424", 2024, 2, "proposals_submitted"): 35,
        ("360424", 2024, 2, "proposals_registered"): 30,
        ("360424", 2024, 2, "info_collected"): 12,
    }  # 无 / / / — are not reported: never 0, never an error


@pytest.mark.parametrize(
    "line",
    [
        "填报单位：修水县政协办公室（盖章）      填报日期：2024年7月5日",
        "填报单位：修水县政协办公室(盖章)填报日期：2024年7月5日",
        "填报单位：中国人民政治协商会议修水县委员会（盖章）",
        "填报单位： 修水縣政協（公章）",
        "填报单位：修水县政协",
    ],
)
def test_the_unit_is_found_in_the_unit_line(parse, line) -> None:
    pf = parse("form.xlsx", make_xlsx({"Sheet1": _form(line)}))
    assert pf.ok, pf.issues
    assert {r.unit_code for r in pf.records} == {"360424"}


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("填报单位：（盖章）      填报日期：2024年7月5日",
         "第2行：未能确定本表的填报单位：请在标题或“填报单位：”一行写明，或用单位名称命名工作表"),
        ("填报单位：某某县政协办公室（盖章）      填报日期：2024年7月5日",
         "第2行：填报单位“某某县政协办公室”不在单位名单中，请核对单位名单"),
    ],
)  # fmt: skip
def test_no_unit_names_the_unit_line_row(parse, line, message) -> None:
    pf = parse("form.xlsx", make_xlsx({"Sheet1": _form(line)}))
    [err] = pf.errors
    assert (err.sheet, err.row, err.message) == ("Sheet1", 2, message)


def test_a_fill_in_date_is_no_period(parse) -> None:
    """填报日期：2024年7月5日 says when the form was filled in, not the quarter it reports."""
    pf = parse("form.xlsx", make_xlsx({"Sheet1": _form(title="政协履职情况统计表")}), period=(2024, 2))
    assert pf.ok, pf.issues
    assert {(r.year, r.quarter) for r in pf.records} == {(2024, 2)}
    assert "year_only" not in codes(pf)
