"""Rates beside their parts (issue 9, item 4) and one scale rule per indicator over the whole file (issue 10).

40 submitted, 30 registered and 立案率 60 is an error naming both cells; with 立案率 75 the rate agrees and
is not stored (it is recomputed from its parts); a rate given alone is kept as reported.
"""

from __future__ import annotations

import pytest
from loader_sheets import codes, make_csv, make_xlsx, values

RATE = ("360424", 2024, 1, "registration_rate")
HEAD = ["县区", "提交提案", "立案", "立案率"]


def _wide(*rows: list[object]) -> bytes:
    return make_xlsx({"2024Q1": [HEAD, *rows]})


def test_a_rate_that_disagrees_with_its_parts_names_both_cells(parse) -> None:
    pf = parse("2024Q1.xlsx", _wide(["修水县", 40, 30, 60]))
    [err] = pf.errors
    assert (err.sheet, err.row, err.column, err.code) == ("2024Q1", 2, "立案率", "ratio_mismatch")
    assert err.message == (
        "第2行“立案率”列：立案率 60% 与本行“提交提案”列的提案提交数 40、“立案”列的立案数 30 不符"
        "（30 ÷ 40 = 75%）：请核对比率或其分子、分母"
    )


@pytest.mark.parametrize("rate", [75, "75%", 0.75, "75.0%"])
def test_a_rate_that_agrees_is_not_stored_as_reported(parse, rate) -> None:
    pf = parse("2024Q1.xlsx", _wide(["修水县", 40, 30, rate]))
    assert pf.ok, pf.issues
    assert RATE not in values(pf)
    assert values(pf)[("360424", 2024, 1, "proposals_registered")] == 30


@pytest.mark.parametrize(("rate", "ok"), [(85.7, True), (85.71, True), (86, True), (85, True), (85.8, False),
                                          (84, False), (0.857, True), (0.86, True), (0.85, True), (0.84, False)])  # fmt: skip
def test_a_rate_agrees_to_the_rounding_it_is_written_with(parse, rate, ok) -> None:
    """30 ÷ 35 = 85.714…%: rounded (85.7, 86) or cut (85) to its own decimals it agrees; 85.8 does not."""
    pf = parse("2024Q1.xlsx", _wide(["修水县", 35, 30, rate], ["武宁县", 20, 10, 0.5 if rate < 1 else 50]))
    assert pf.ok is ok, pf.issues
    assert RATE not in values(pf)


def test_a_rate_given_alone_is_kept_as_reported(parse) -> None:
    """The Jiujiang report gives 立案率51.5% without its parts: it is kept for that unit and period."""
    pf = parse(
        "2024Q1.xlsx", make_xlsx({"2024Q1": [["县区", "提交提案", "立案率"], ["修水县", 40, "51.5%"]]})
    )
    assert pf.ok and values(pf)[RATE] == 51.5


def test_a_rate_of_nothing_over_nothing(parse) -> None:
    assert parse("2024Q1.xlsx", _wide(["修水县", 0, 0, 0])).ok
    pf = parse("2024Q1.xlsx", make_xlsx({"2024Q1": [["县区", "委员参加活动人次", "委员人数", "人均参加活动"],
                                                    ["修水县", 30, 0, 2.5]]}))  # fmt: skip
    [err] = pf.errors
    assert err.message == (
        "第2行“人均参加活动”列：人均参加活动 2.5 与本行“委员人数”列的委员人数 0、“委员参加活动人次”列的"
        "委员参加活动人次 30 不符（委员人数为 0，人均参加活动应留空或填“—”）：请核对比率或其分子、分母"
    )


def test_long_table_rate_beside_its_parts_names_their_rows(parse) -> None:
    rows = [
        ["单位", "指标", "数值"],
        ["修水县", "提交提案", 40],
        ["修水县", "立案", 30],
        ["修水县", "立案率", "60%"],
    ]
    [err] = parse("2024Q1.csv", make_csv(rows)).errors
    assert (err.row, err.column, err.code) == (4, "数值", "ratio_mismatch")
    assert err.message == (
        "第4行“数值”列：立案率 60% 与第2行“数值”列的提案提交数 40、第3行“数值”列的立案数 30 不符"
        "（30 ÷ 40 = 75%）：请核对比率或其分子、分母"
    )
    rows[3][2] = "75%"
    pf = parse("2024Q1.csv", make_csv(rows))
    assert pf.ok and RATE not in values(pf)


def test_form_rate_beside_its_parts(parse) -> None:
    rows = [["修水县政协2024年第一季度履职情况统计表"], ["1. 提交提案数", 40, "件"], ["2. 立案数", 30, "件"],
            ["3. 立案率", "80%", "%"]]  # fmt: skip
    [err] = parse("修水县.xlsx", make_xlsx({"Sheet1": rows})).errors
    assert (err.row, err.code) == (4, "ratio_mismatch")


# --- one scale rule per indicator, whatever the shape (issue 10) -------------------------------------------

MIXED = {
    "修水县": 51.5,
    "武宁县": 0.8,
}  # bare rates, no parts: one looks like a percentage, one like a fraction


def _shapes() -> dict[str, tuple[str, bytes]]:
    wide = make_xlsx({"2024Q1": [["县区", "立案率"], *[[u, v] for u, v in MIXED.items()]]})
    long = make_csv([["单位", "指标", "数值"], *[[u, "立案率", v] for u, v in MIXED.items()]])
    forms = make_xlsx(
        {u: [[f"{u}政协2024年第一季度统计表"], ["提交提案数", "—"], ["立案率", v]] for u, v in MIXED.items()}
    )
    return {"wide": ("2024Q1.xlsx", wide), "long": ("2024Q1.csv", long), "form": ("2024Q1.xlsx", forms)}


@pytest.mark.parametrize("shape", ["wide", "long", "form"])
def test_bare_rates_are_scaled_by_one_rule_whatever_the_shape(parse, shape) -> None:
    name, data = _shapes()[shape]
    pf = parse(name, data)
    assert pf.ok, pf.issues
    got = values(pf)
    assert (got[("360424", 2024, 1, "registration_rate")], got[("360423", 2024, 1, "registration_rate")]) == (
        51.5,
        0.8,
    )
    [warning] = [i for i in pf.warnings if i.code == "ambiguous_rate"]
    assert warning.message.endswith(
        "像小数，而"
        + warning.message.split("像小数，而", 1)[1]  # the cell that looked like a percentage, then the advice
    )
    assert "0.8" in warning.message and "51.5 像百分数" in warning.message
    assert (
        "全文件按百分数导入（0.8 即 0.8%）；如这些数值是小数（0.8 表示 80%），请改写为带 % 的百分数后重新上传"
        in warning.message
    )


def test_ambiguous_warning_names_the_cells(parse) -> None:
    name, data = _shapes()["wide"]
    [warning] = [i for i in parse(name, data).warnings if i.code == "ambiguous_rate"]
    assert (warning.sheet, warning.row, warning.column) == ("2024Q1", 3, "立案率")
    assert warning.message == (
        "第3行“立案率”列：立案率不带 % 的数值写法不一：本行“立案率”列 0.8像小数，而第2行“立案率”列 51.5 像百分数。"
        "全文件按百分数导入（0.8 即 0.8%）；如这些数值是小数（0.8 表示 80%），请改写为带 % 的百分数后重新上传"
    )


def test_fractions_across_sheets_are_fractions(parse) -> None:
    """Each form sheet holds one fraction: over the file they are all at most 1, so all are fractions."""
    forms = make_xlsx({u: [[f"{u}政协2024年第一季度统计表"], ["提交提案数", "—"], ["立案率", v]]
                       for u, v in {"修水县": 0.515, "武宁县": 0.8}.items()})  # fmt: skip
    pf = parse("2024Q1.xlsx", forms)
    assert pf.ok and "ambiguous_rate" not in codes(pf)
    assert values(pf)[RATE] == pytest.approx(51.5)
    assert values(pf)[("360423", 2024, 1, "registration_rate")] == pytest.approx(80)
