"""One test per consistency rule of DOMAIN.md, with the exact message the user sees for the key ones."""

from __future__ import annotations

import datetime as dt

from loader_sheets import codes, make_xlsx, messages


def wide(*rows: list[object], header: list[str] | None = None, sheet: str = "2024Q1") -> bytes:
    return make_xlsx({sheet: [header or ["县区", "提交提案", "立案", "办复", "满意数"], *rows]})


def test_registered_above_submitted(parse) -> None:
    pf = parse(
        "t.xlsx", make_xlsx({"2024Q1": [["序号"]] * 10 + [["县区", "提交提案", "立案"], ["修水县", 35, 40]]})
    )
    assert not pf.ok
    [issue] = pf.issues
    assert (issue.file, issue.sheet, issue.row, issue.column, issue.code) == (
        "t.xlsx",
        "2024Q1",
        12,
        "立案",
        "not_above",
    )
    assert issue.message == "第12行“立案”列：立案数 40 大于提案提交数 35（立案数不得超过提案提交数）"
    assert (
        str(issue)
        == "t.xlsx › 2024Q1：第12行“立案”列：立案数 40 大于提案提交数 35（立案数不得超过提案提交数）"
    )


def test_answered_and_satisfied_chain(parse) -> None:
    pf = parse("t.xlsx", wide(["修水县", 35, 30, 31, 32]))
    assert messages(pf) == [
        "第2行“办复”列：办复数 31 大于立案数 30（办复数不得超过立案数）",
        "第2行“满意数”列：满意数 32 大于办复数 31（满意数不得超过办复数）",
    ]


def test_key_collective_livelihood_limits(parse) -> None:
    header = ["县区", "提交提案", "立案", "重点提案", "集体提案", "民生提案"]
    pf = parse("t.xlsx", wide(["修水县", 10, 5, 6, 11, 12], header=header))
    assert codes(pf) == ["not_above"] * 3
    assert [i.column for i in pf.issues] == ["集体提案", "重点提案", "民生提案"]  # in dictionary order


def test_social_info_chain(parse) -> None:
    header = ["县区", "收集信息", "编发上报", "采用", "批示"]
    pf = parse("t.xlsx", wide(["修水县", 50, 60, 70, 99], header=header))
    assert messages(pf) == [
        "第2行“编发上报”列：报送上级 60 大于社情民意信息收集 50（报送上级不得超过社情民意信息收集）",
        "第2行“采用”列：被采用 70 大于报送上级 60（被采用不得超过报送上级）",
    ]  # 领导批示 counts separately: 99 is fine


def test_rule_across_rows_of_a_form_names_the_other_row(parse) -> None:
    rows = [["2024年第一季度"], ["填报单位：修水县政协"], ["提交提案", 35], ["立案", 40]]
    pf = parse("t.xlsx", make_xlsx({"S": rows}))
    assert messages(pf) == [
        "第4行“B（立案）”列：立案数 40 大于第3行“B（提交提案）”列的提案提交数 35（立案数不得超过提案提交数）"
    ]  # a form names the indicator of each row beside its value column


def test_approximate_figures_make_the_rule_a_warning(parse) -> None:
    pf = parse("t.xlsx", wide(["修水县", "约30", 31, None, None]))
    assert pf.ok and codes(pf, "warning") == ["not_above"]
    assert pf.issues[0].message.endswith("其中含约数，请核对")


def test_counts_are_whole_and_not_negative(parse) -> None:
    pf = parse("t.xlsx", wide(["修水县", 35.5, -3, None, None]))
    assert messages(pf) == [
        "第2行“提交提案”列：提案提交数 35.5 不是整数（单位：件，应为整数）",
        "第2行“立案”列：立案数 -3 是负数，应为不小于 0 的整数",
    ]


def test_rates_lie_between_0_and_100(parse) -> None:
    pf = parse(
        "t.xlsx", wide(["修水县", "101%", 50], ["彭泽县", "-1%", 20], header=["县区", "立案率", "办复率"])
    )
    assert codes(pf) == ["rate_out_of_range", "rate_out_of_range"]
    assert pf.issues[0].message == "第2行“立案率”列：立案率 101% 超出 0–100% 的范围"


def test_text_where_a_number_belongs_names_the_cell(parse) -> None:
    pf = parse("t.xlsx", wide(["修水县", "三十五", 30, None, None], ["彭泽县", 20, "见附件", None, None]))
    assert [(i.row, i.column, i.code) for i in pf.issues] == [
        (2, "提交提案", "not_a_number"),
        (3, "立案", "not_a_number"),
    ]
    assert pf.issues[0].message == "第2行“提交提案”列：“三十五”不是数字，应填写数字（未填报可写“—”或留空）"


def test_one_value_per_unit_period_indicator(parse) -> None:
    pf = parse("t.xlsx", wide(["修水县", 35, 30, None, None], ["修水縣", 36, 30, None, None]))
    assert codes(pf) == ["duplicate", "duplicate"]
    assert pf.issues[0].message == (
        "第3行“提交提案”列：修水县2024年第一季度的提案提交数重复填报（第2行“提交提案”列已有 35，此处为 36）："
        "同一单位同一期间每个指标只能有一个数值"
    )


def test_duplicates_across_sheets_name_the_other_sheet(parse) -> None:
    rows = [["县区", "立案"], ["修水县", 3]]
    pf = parse("t.xlsx", make_xlsx({"2024Q1": rows, "2024年第一季度": rows}))
    assert codes(pf) == ["duplicate"]
    assert "工作表“2024Q1”第2行“立案”列已有 3" in pf.issues[0].message


def test_no_future_period(parse) -> None:
    pf = parse("t.xlsx", wide(["修水县", 35, 30, None, None], sheet="2025Q2"), today=dt.date(2025, 3, 31))
    assert messages(pf) == [
        "第2行“提交提案”列：期间 2025年第二季度 尚未开始（今天是 2025-03-31），不能导入未来期间的数据：请核对年度和季度"
    ]
    assert parse("t.xlsx", wide(["修水县", 35, 30, None, None], sheet="2025Q2"), today=dt.date(2025, 4, 1)).ok


def test_cumulative_never_decreases(parse) -> None:
    rows = [["县区", "年度", "季度", "口径", "立案"],
            ["修水县", 2024, 1, "累计", 10], ["修水县", 2024, 2, "累计", 25], ["修水县", 2024, 3, "累计", 20]]  # fmt: skip
    pf = parse("t.xlsx", make_xlsx({"S": rows}))
    assert messages(pf) == [
        "第4行“立案”列：修水县2024年第三季度累计立案数 20 小于第3行“立案”列的2024年第二季度累计 25（累计数不应减少）"
    ]


def test_cumulative_stock_may_go_down(parse) -> None:
    rows = [["县区", "年度", "季度", "口径", "委员人数"],
            ["修水县", 2024, 1, "累计", 150], ["修水县", 2024, 2, "累计", 149]]  # fmt: skip
    pf = parse("t.xlsx", make_xlsx({"S": rows}))
    assert pf.ok and {r.cumulative for r in pf.records} == {False}


def test_unknown_unit_suggests_the_closest(parse) -> None:
    pf = parse("t.xlsx", wide(["修水镇", 35, 30, None, None], ["彭泽县", 20, 18, None, None]))
    assert messages(pf) == ["第2行“县区”列：单位“修水镇”不在单位名单中，是否应为“修水县”？"]
    assert pf.issues[0].code == "unknown_unit" and len(pf.records) == 2


def test_all_errors_are_reported_at_once(parse) -> None:
    pf = parse(
        "t.xlsx",
        wide(["修水镇", 35, 30], ["彭泽县", 20, 40], ["武宁县", "x", 1], header=["县区", "提交提案", "立案"]),
    )
    assert [(i.row, i.code) for i in pf.issues] == [
        (2, "unknown_unit"),
        (3, "not_above"),
        (4, "not_a_number"),
    ]


def test_many_errors_of_one_kind_are_counted_past_a_cap(parse) -> None:
    rows = [[f"某{n}镇", 1, 1] for n in range(80)]
    pf = parse("t.xlsx", wide(*rows, header=["县区", "提交提案", "立案"]))
    assert len(pf.issues) == 51
    assert pf.issues[-1].message == "……另有 30 处同类问题（unknown_unit）未逐一列出，请先改正上面的问题"
