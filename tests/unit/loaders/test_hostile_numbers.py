"""Impossible numbers (issue 9, item 2): every value read is finite and within its indicator's bound.

1e308 is no count, two of them overflow a total; `inf`, NaN and 1e309 must not reach the store through a
ratio; a 400-digit text is not `inf`. Each is refused naming sheet, row and column.
"""

from __future__ import annotations

import pytest
from hostile_files import Raw, raw_xlsx
from loader_sheets import codes, make_csv, make_xlsx, values

HEAD = ["县区", "提交提案", "立案", "委员参加活动人次", "委员人数", "人均参加活动", "基层协商议事"]
GOOD = ["修水县", 40, 30, 120, 100, 1.2, 55]
HUGE = "1" + "0" * 399  # a 400-digit figure


def _with(col: int, cell: object, good_row: bool = True) -> list[list[object]]:
    bad = list(GOOD)
    bad[col] = cell
    rows: list[list[object]] = [HEAD, bad]
    if good_row:
        rows.append(["武宁县", *GOOD[1:]])
    return rows


def _only_error(pf, code: str):
    errors = [i for i in pf.issues if i.level == "error"]
    assert [i.code for i in errors] == [code], pf.issues
    return errors[0]


@pytest.mark.parametrize(
    ("col", "cell", "code", "message"),
    [
        (
            2,
            1e308,
            "implausible",
            "立案数 1e+308 超出合理范围（指标字典规定不超过 1000000件），请核对是否多输了数位",
        ),
        (2, "1e308", "not_a_number", None),  # text in E notation is no way a county writes a count
        (2, HUGE, "not_finite", "立案数的数值过大，超出可表示的范围：请填写实际数字"),
        (2, Raw("1e309"), "not_finite", "立案数的数值过大，超出可表示的范围：请填写实际数字"),
        (2, Raw("inf"), "not_finite", "立案数的数值过大，超出可表示的范围：请填写实际数字"),
        (2, Raw("NaN"), "not_finite", "立案数的数值无效（NaN，不是数字）：请填写实际数字"),
        (5, Raw("inf"), "not_finite", "人均参加活动的数值过大，超出可表示的范围：请填写实际数字"),
        (5, Raw("NaN"), "not_finite", "人均参加活动的数值无效（NaN，不是数字）：请填写实际数字"),
        (5, Raw("1e309"), "not_finite", "人均参加活动的数值过大，超出可表示的范围：请填写实际数字"),
        (
            5,
            5000.0,
            "implausible",
            "人均参加活动 5000 超出合理范围（指标字典规定不超过 1000人次/人），请核对是否多输了数位",
        ),
        (
            6,
            2_000_000,
            "implausible",
            "基层协商议事 2000000 超出合理范围（指标字典规定不超过 1000000场次），请核对是否多输了数位",
        ),
    ],
)
@pytest.mark.parametrize("fast", [True, False], ids=["all-number row", "row with text"])
def test_impossible_numbers_are_refused_naming_the_cell(parse, col, cell, code, message, fast) -> None:
    rows = _with(col, cell)
    if not fast:  # a text cell in the row sends it down the slow path (parse_value per cell)
        rows[1][1] = "40"
    pf = parse("2024Q1.xlsx", raw_xlsx({"2024Q1": rows}))
    if code == "not_a_number":
        assert not pf.ok and "not_a_number" in codes(pf, "error")
        return
    err = _only_error(pf, code)
    assert (err.sheet, err.row, err.column) == ("2024Q1", 2, HEAD[col])
    assert err.message == f"第2行“{HEAD[col]}”列：{message}"


def test_two_huge_counts_that_would_overflow_a_total(parse) -> None:
    rows = [
        HEAD,
        ["修水县", 1e308, 30, 1, 1, 1, 1],
        ["武宁县", 1e308, 30, 1, 1, 1, 1],
        ["合计", 2e308, 60, 2, 2, 2, 2],
    ]
    pf = parse("2024Q1.xlsx", make_xlsx({"2024Q1": rows}))
    assert [(i.row, i.column, i.code) for i in pf.errors] == [
        (2, "提交提案", "implausible"),
        (3, "提交提案", "implausible"),
    ]


@pytest.mark.parametrize("cell", ["1e308", HUGE, "inf", "NaN", "1e309", "-inf"])
def test_long_csv_with_impossible_numbers(parse, cell) -> None:
    data = make_csv([["单位", "指标", "数值"], ["修水县", "立案", 3], ["修水县", "人均参加活动", cell]])
    pf = parse("2024Q1.csv", data)
    assert not pf.ok
    [err] = pf.errors
    assert (err.sheet, err.row, err.column) == (None, 3, "数值")
    assert err.message.startswith("第3行“数值”列：人均参加活动")


def test_a_province_annual_total_is_within_the_bounds(parse) -> None:
    """九江市 2023: 协商议事5500余场次, 成果转化5800余件, 意见建议1083条 — a city's year is far below any bound."""
    rows = [["单位", "年度", "基层协商议事", "协商成果转化", "意见建议", "委员参加活动人次"],
            ["市本级", 2023, "5500余", "5800余", 1083, 1015]]  # fmt: skip
    units_rows = parse("2023年度.xlsx", make_xlsx({"2023年度": rows}))
    assert units_rows.ok, units_rows.issues
    assert values(units_rows)[("360400", 2023, None, "consult_grassroots")] == 5500


def test_minus_zero_is_read_as_zero(parse) -> None:
    pf = parse("2024Q1.xlsx", raw_xlsx({"2024Q1": [["县区", "立案"], ["修水县", Raw("-0")]]}))
    assert pf.ok
    assert values(pf)[("360424", 2024, 1, "proposals_registered")] == 0


def test_every_indicator_states_a_bound(dictionary) -> None:
    """data/indicators.csv gives each indicator a max_value; rates are bounded by 100."""
    for ind in dictionary:
        assert ind.max_value is not None and ind.max_value > 0, ind.code
        if ind.is_rate:
            assert ind.max_value == 100
        assert ind.max_value >= 10_000 or ind.kind == "ratio", ind.code  # a province's annual total fits
