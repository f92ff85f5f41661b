"""Name folding, header/unit matching, value and period parsing: examples and properties."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from loaders import parse_period_option
from loaders.fold import fold
from loaders.match import IndicatorMatcher, UnitMatcher, header_role
from loaders.periods import Hint, find_period, parse_basis, parse_quarter, parse_year
from loaders.values import BadValue, Parsed, parse_value, rate_scale

CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
NAME_CHARS = st.one_of(CJK, st.sampled_from(list("（）()、：:. 1234567890一二三%件次个　ＡＢ")))


# ---- folding ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("修水縣", "修水县"),
        ("潯陽區", "浔阳区"),
        (" 修 水　县 ", "修水县"),
        ("１. 提交提案（件）", "提交提案"),
        ("1、立案数", "立案数"),
        ("（一）提案工作", "提案工作"),
        ("一、提案工作", "提案工作"),
        ("基层协商议事（场次）", "基层协商议事"),
        ("委员参加活动(人次)", "委员参加活动"),
        ("立案率（%）", "立案率"),
        ("协商成果转化（万元）", "协商成果转化"),
        ("县（市、区）", "县(市、区)"),
        ("县(市、区)", "县(市、区)"),
        ("基层协商议事（有事好商量）", "基层协商议事(有事好商量)"),
        ("①提交提案", "提交提案"),
    ],
)
def test_fold(raw: str, folded: str) -> None:
    assert fold(raw) == folded


@given(st.text(NAME_CHARS, max_size=12))
def test_fold_is_idempotent(text: str) -> None:
    assert fold(fold(text)) == fold(text)


@given(
    st.text(CJK, min_size=1, max_size=8),
    st.sampled_from(["", "（件）", "(次)", "（人次）", " ", "：", "1.", "一、"]),
)
def test_fold_never_empty_for_cjk_names(name: str, decoration: str) -> None:
    assert fold(decoration + name)
    assert fold(name + decoration)


@given(st.sampled_from(["县（市、区）", "县(市、区)", "縣（市、區）", " 县（市、区） "]))
def test_county_header_keeps_its_bracket(header: str) -> None:
    assert fold(header) == "县(市、区)" and header_role(header) == "unit"


# ---- matching --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "group", "code"),
    [
        ("提交提案", "", "proposals_submitted"),
        ("1. 提交提案数", "", "proposals_submitted"),
        ("提案提交数（件）", "", "proposals_submitted"),
        ("立案", "提案工作", "proposals_registered"),
        ("滿意和基本滿意", "", "proposals_satisfied"),
        ("基层协商议事（有事好商量）", "", "consult_grassroots"),
        ("收集信息", "社情民意信息", "info_collected"),
        ("编发上报", "", "info_submitted"),
        ("采用", "", "info_adopted"),
        ("答复率(%)", "", "reply_rate"),
        ("委员之家", "", "member_stations"),
        ("协商活动", "", None),  # a computed (sum) indicator is never read from sheets
        ("合计", "", None),
        ("上年同期", "", None),
    ],
)
def test_indicator_matching(dictionary, header: str, group: str, code: str | None) -> None:
    assert IndicatorMatcher(dictionary).match(header, group) == code


@pytest.mark.parametrize(
    ("header", "role"),
    [("单位", "unit"), ("填报单位", "unit"), ("县区", "unit"), ("区县", "unit"), ("地区", "unit"),
     ("县(市、区)", "unit"), ("年度", "year"), ("年份", "year"), ("季度", "quarter"), ("口径", "basis"),
     ("统计口径", "basis"), ("指标", "indicator"), ("指标名称", "indicator"), ("数值", "value"),
     ("数据", "value"), ("值", "value"), ("序号", "ignored"), ("备注", "ignored"), ("县", None)],
)  # fmt: skip
def test_header_roles(header: str, role: str | None) -> None:
    assert header_role(header) == role


@pytest.mark.parametrize(
    ("name", "code"),
    [("修水县", "360424"), ("修水縣", "360424"), ("修水", "360424"), ("修水县政协", "360424"),
     ("潯陽區", "360403"), (" 庐 山 市 ", "360483"), ("九江市政协", "360400"), ("市本级", "360400"),
     ("修水镇", None), ("", None)],
)  # fmt: skip
def test_unit_matching(units, name: str, code: str | None) -> None:
    assert UnitMatcher(units).match(name) == code


def test_unknown_unit_suggests_the_closest(units) -> None:
    m = UnitMatcher(units)
    assert m.suggest("修水镇") == "修水县"
    assert m.suggest("彭泽") == "彭泽县"
    assert m.suggest("北京") is None


# ---- values ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (35.0, Parsed(35.0, False, False)),
        (35, Parsed(35.0, False, False)),
        ("35", Parsed(35.0, False, False)),
        ("1,800", Parsed(1800.0, False, False)),
        ("１８００", Parsed(1800.0, False, False)),
        ("１，８００", Parsed(1800.0, False, False)),
        ("1800余", Parsed(1800.0, True, False)),
        ("1800多", Parsed(1800.0, True, False)),
        ("约1800", Parsed(1800.0, True, False)),
        ("5500余场次", Parsed(5500.0, True, False)),
        ("35件", Parsed(35.0, False, False)),
        ("51.5%", Parsed(51.5, False, True)),
        ("51.5％", Parsed(51.5, False, True)),
        (" 12 ", Parsed(12.0, False, False)),
    ],
)
def test_values(cell: object, expected: Parsed) -> None:
    assert parse_value(cell) == expected


@pytest.mark.parametrize("cell", ["", None, "—", "——", "-", "--", "/", "无", "－", " "])
def test_not_reported_is_none_never_zero(cell: object) -> None:
    assert parse_value(cell) is None


def test_a_nan_cell_is_no_number_not_a_gap() -> None:
    """Excel cannot hold NaN: a cell that does (`<v>NaN</v>`) comes from a broken generator, never 'not reported'."""
    with pytest.raises(BadValue, match="NaN"):
        parse_value(float("nan"))


@pytest.mark.parametrize("cell", ["三十五", "35件左右吧", "1,80", "#DIV/0!", "见附件", True])
def test_text_where_a_number_belongs(cell: object) -> None:
    with pytest.raises(BadValue):
        parse_value(cell)


def test_rate_scale_decides_per_column() -> None:
    fractions = [Parsed(0.515, False, False), Parsed(1.0, False, False)]
    percents = [Parsed(51.5, False, False), Parsed(1.0, False, False)]
    assert rate_scale(fractions) == 100.0
    assert rate_scale(percents) == 1.0
    assert rate_scale([Parsed(0.5, False, True)]) == 1.0  # "0.5%" is taken as written


_FULL = str.maketrans("0123456789,.", "０１２３４５６７８９，．")


@given(st.integers(min_value=0, max_value=10**9))
def test_formatted_integers_round_trip(n: int) -> None:
    for text in (str(n), f"{n:,}", f"{n:,}".translate(_FULL), f"约{n:,}", f"{n}余"):
        parsed = parse_value(text)
        assert parsed is not None and parsed.value == n
        assert parsed.approximate == (text.startswith("约") or text.endswith("余"))


@given(st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False))
def test_decimals_and_percents_round_trip(d) -> None:
    assert parse_value(str(d)) == Parsed(float(d), False, False)
    assert parse_value(f"{d}%") == Parsed(float(d), False, True)


# ---- periods ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("九江市政协系统2024年第三季度履职数据统计表", Hint(2024, 3)),
        ("2024年一季度", Hint(2024, 1)),
        ("2024Q1", Hint(2024, 1)),
        ("2023年度", Hint(2023, None, True)),
        ("2024年1-6月", Hint(2024, 2, False, True)),
        ("2024年1—9月累计", Hint(2024, 3, False, True)),
        ("2024上半年", Hint(2024, 2, False, True)),
        ("2024年前三季度", Hint(2024, 3, False, True)),
        ("2024年第二季度（当季）", Hint(2024, 2, False, False)),
        ("汇总", Hint()),
    ],
)
def test_find_period(text: str, hint: Hint) -> None:
    assert find_period(text) == hint


@pytest.mark.parametrize(
    ("text", "period"),
    [("2024Q1", (2024, 1)), ("2024q4", (2024, 4)), ("2024年第一季度", (2024, 1)), ("2024年一季度", (2024, 1)),
     ("2023", (2023, None)), ("2023年度", (2023, None)), ("2023年", (2023, None))],
)  # fmt: skip
def test_parse_period_option(text: str, period: tuple[int, int | None]) -> None:
    assert parse_period_option(text) == period


@pytest.mark.parametrize("text", ["2024Q5", "24Q1", "明年", "", "2024年第五季度"])
def test_parse_period_option_refuses(text: str) -> None:
    with pytest.raises(ValueError, match="无法识别，应写作如 2024Q1"):
        parse_period_option(text)


@given(st.integers(2000, 2099), st.integers(1, 4))
def test_period_spellings_agree(year: int, q: int) -> None:
    cn = "一二三四"[q - 1]
    for text in (f"{year}Q{q}", f"{year}年第{cn}季度", f"{year}年{cn}季度", f"{year}年{q}季度"):
        assert parse_period_option(text) == (year, q)
        assert find_period(f"某县政协{text}履职统计表")[:2] == (year, q)
    assert find_period(f"{year}年1-{3 * q}月") == Hint(year, q, False, True)


def test_year_quarter_basis_cells() -> None:
    assert parse_year("2024年") == parse_year(2024.0) == parse_year("2024") == 2024
    assert [parse_quarter(x)[0] for x in (1.0, "Q2", "一季度", "第四季度", "全年")] == [1, 2, 1, 4, None]
    assert parse_basis("累计") is True and parse_basis("本期") is False and parse_basis("当季") is False
    with pytest.raises(ValueError, match="季度“第五季”无法识别"):
        parse_quarter("第五季")
