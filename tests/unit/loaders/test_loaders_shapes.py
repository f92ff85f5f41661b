"""The three shapes (wide, long, form), how each states unit and period, and what is listed as skipped."""

from __future__ import annotations

from loader_sheets import codes, make_csv, make_xlsx, messages, values

HEADER = ["县区", "提交提案", "立案", "办复"]


def test_wide_simple(parse) -> None:
    data = make_xlsx({"2024Q1": [HEADER, ["修水县", 35, 30, 28], ["武寧縣", "1,800", "约40", "—"]]})
    pf = parse("t.xlsx", data)
    assert pf.ok, pf.issues
    assert values(pf) == {
        ("360424", 2024, 1, "proposals_submitted"): 35,
        ("360424", 2024, 1, "proposals_registered"): 30,
        ("360424", 2024, 1, "proposals_answered"): 28,
        ("360423", 2024, 1, "proposals_submitted"): 1800,
        ("360423", 2024, 1, "proposals_registered"): 40,
    }  # "—" is not reported: no record, never 0
    approx = [r for r in pf.records if r.approximate]
    assert [(r.row, r.column) for r in approx] == [(3, "立案")]


def test_wide_with_title_unit_line_two_level_header_total_and_note(parse) -> None:
    rows = [
        ["九江市政协2024年第二季度履职统计表", None, None, None, None, None],
        ["填报单位：市政协办公室      单位：件", None, None, None, None, None],
        ["序号", "县（市、区）", "提案工作", None, "社情民意信息", None],
        [None, None, "提交数", "立案", "收集", "报送"],
        [1, "修水县", 35, 30, 50, 20],
        [2, "彭泽县", 20, 18, 40, 10],
        [None, "合计", 55, 48, 90, 30],
        [],
        ["注：数据截至6月30日。"],
    ]
    merged = {"S": ["A1:F1", "A3:A4", "B3:B4", "C3:D3", "E3:F3"]}
    pf = parse("t.xlsx", make_xlsx({"S": rows}, merged=merged))
    assert pf.ok and pf.issues == [] and pf.unknown_columns == []
    v = values(pf)
    assert len(v) == 8
    assert v[("360424", 2024, 2, "info_collected")] == 50
    assert v[("360430", 2024, 2, "info_submitted")] == 10
    assert {r.row for r in pf.records} == {5, 6}  # the 合计 row is not imported


def test_total_row_mismatch_is_a_warning(parse) -> None:
    rows = [HEADER, ["修水县", 35, 30, 28], ["彭泽县", 20, 18, 10], ["合计", 55, 50, 38]]
    pf = parse("2024Q1.xlsx", make_xlsx({"S": rows}))
    assert pf.ok
    assert messages(pf) == [
        "第4行“立案”列：合计 50 与上方各行之和 48 不一致（差 2），请核对；合计行本身不导入"
    ]
    assert pf.issues[0].level == "warning" and pf.issues[0].code == "total_mismatch"


def test_wide_row_per_unit_and_period(parse) -> None:
    rows = [
        ["县区", "年度", "季度", "口径", "提交提案"],
        ["修水县", "2024年", "一季度", "本期", 10],
        ["修水县", 2024, "Q2", "累计", 25],
        ["修水县", 2024, "第三季度", "累计", 30],
        ["彭泽县", 2023, "全年", None, 80],
    ]
    pf = parse("t.xlsx", make_xlsx({"S": rows}))
    assert pf.ok, pf.issues
    got = [(r.unit_code, r.year, r.quarter, r.value, r.cumulative) for r in pf.records]
    assert got == [
        ("360424", 2024, 1, 10, False),
        ("360424", 2024, 2, 25, True),
        ("360424", 2024, 3, 30, True),
        ("360430", 2023, None, 80, False),
    ]


def test_wide_unit_merged_over_its_quarter_rows(parse) -> None:
    rows = [["县区", "季度", "立案"], ["修水县", 1, 5], [None, 2, 6], [None, 3, 7]]
    pf = parse("2024年.xlsx", make_xlsx({"S": rows}, merged={"S": ["A2:A4"]}))
    assert pf.ok, pf.issues
    assert [(r.unit_code, r.quarter, r.value) for r in pf.records] == [
        ("360424", 1, 5), ("360424", 2, 6), ("360424", 3, 7)
    ]  # fmt: skip


def test_unknown_columns_are_listed_not_dropped(parse) -> None:
    rows = [["县区", "提交提案", "上年同期", None, "备注"], ["修水县", 35, 30, 7, "无"]]
    pf = parse("2024Q1.xlsx", make_xlsx({"S": rows}))
    assert pf.unknown_columns == [("S", "上年同期"), ("S", "D")]
    assert codes(pf) == ["unknown_column", "unknown_column"]
    assert pf.ok  # a warning each: the upload page offers to add an alias or skip
    assert messages(pf)[0] == (
        "第1行“上年同期”列：表头“上年同期”不是已知指标，该列未导入（如是指标的另一种写法，可在指标字典中添加别名）"
    )


def test_hidden_and_tableless_sheets_are_listed(parse) -> None:
    sheets = {
        "2024Q1": [HEADER, ["修水县", 35, 30, 28]],
        "旧数据": [HEADER, ["修水县", 1, 1, 1]],
        "说明": [["本表由各县区填报"]],
        "空": [],
    }
    pf = parse("t.xlsx", make_xlsx(sheets, hidden={"旧数据"}))
    assert pf.ok and len(pf.records) == 3
    assert pf.skipped_sheets == [
        ("旧数据", "隐藏工作表"),
        ("说明", "未找到数据表（没有可识别的表头或指标名称）"),
        ("空", "空工作表"),
    ]


def test_long_csv_in_each_encoding(parse) -> None:
    rows = [["地区", "年份", "季度", "指标名称", "数值"],
            ["修水縣", "2024年", "一季度", "提案提交数", "35"],
            ["修水县", "2024年", "Q1", "社情民意信息收集", "53余"]]  # fmt: skip
    for encoding in ("utf-8", "utf-8-sig", "gbk", "gb18030"):
        pf = parse("export.csv", make_csv(rows, encoding))
        assert pf.ok, (encoding, pf.issues)
        assert pf.encoding == ("gb18030" if encoding.startswith("gb") else "utf-8-sig")
        assert values(pf) == {
            ("360424", 2024, 1, "proposals_submitted"): 35,
            ("360424", 2024, 1, "info_collected"): 53,
        }
        assert [r.approximate for r in pf.records] == [False, True]
        assert [r.row for r in pf.records] == [2, 3]  # CSV: line numbers, header line included


def test_long_xlsx_with_unknown_indicator(parse) -> None:
    rows = [
        ["单位", "指标", "数据"],
        ["修水县", "立案数", 30],
        ["修水县", "上级交办", 3],
        ["修水县", "上级交办", 4],
    ]
    pf = parse("2024Q1.xlsx", make_xlsx({"S": rows}))
    assert values(pf) == {("360424", 2024, 1, "proposals_registered"): 30}
    assert pf.unknown_columns == [("S", "上级交办")]  # listed once, first row named
    assert messages(pf) == [
        "第3行“指标”列：指标“上级交办”不在指标字典中，该行未导入（如是指标的另一种写法，可在指标字典中添加别名）"
    ]


def test_form_with_header_headings_and_reporter_line(parse) -> None:
    rows = [
        ["县（市、区）政协履职工作统计表（2024年1-6月累计）"],
        ["填报单位：修水县政协        填报人：张三     联系电话：123"],
        ["项目", "数量", "单位"],
        ["一、提案工作"],
        ["1. 提交提案数", 35, "件"],
        ["2. 立案数", 30, "件"],
        ["二、社情民意信息"],
        ["1. 收集", "50余", "篇"],
        ["三、委员履职"],
        ["1. 委员人数", 150, "人"],
        [],
        ["注：委员人数为6月30日时点数。"],
    ]
    pf = parse("t.xlsx", make_xlsx({"Sheet1": rows}))
    assert pf.ok, pf.issues
    got = {(r.indicator, r.value, r.cumulative, r.row, r.column) for r in pf.records}
    assert got == {
        ("proposals_submitted", 35, True, 5, "数量（1. 提交提案数）"),
        ("proposals_registered", 30, True, 6, "数量（2. 立案数）"),
        ("info_collected", 50, True, 8, "数量（1. 收集）"),  # "收集" under the 社情民意 heading
        ("members_total", 150, False, 10, "数量（1. 委员人数）"),  # a stock is never year-to-date
    }
    assert {(r.unit_code, r.year, r.quarter) for r in pf.records} == {("360424", 2024, 2)}


def test_form_without_header_one_sheet_per_county(parse) -> None:
    def form(n: int) -> list[list[object]]:
        return [["2024年第一季度履职情况"], ["提交提案", n], ["立案", n - 1], ["视察活动", 2]]

    pf = parse("t.xlsx", make_xlsx({"修水县": form(30), "彭泽縣": form(20)}))
    assert pf.ok, pf.issues
    v = values(pf)
    assert v[("360424", 2024, 1, "proposals_submitted")] == 30
    assert v[("360430", 2024, 1, "proposals_registered")] == 19
    assert v[("360430", 2024, 1, "inspections")] == 2


def test_form_with_unknown_reporting_unit(parse) -> None:
    rows = [["填报单位：修水镇政协"], ["2024年第一季度"], ["提交提案", 3], ["立案", 2]]
    pf = parse("t.xlsx", make_xlsx({"Sheet1": rows}))
    assert not pf.ok
    assert messages(pf) == ["第1行：填报单位“修水镇政协”不在单位名单中，是否应为“修水县”？"]  # the unit line


def test_wide_without_unit_column_takes_the_unit_from_the_title(parse) -> None:
    rows = [["彭泽县政协2024年履职统计"], ["季度", "提交提案", "立案"], [1, 10, 9], [2, 12, 12]]
    pf = parse("t.xlsx", make_xlsx({"S": rows}))
    assert pf.ok, pf.issues
    assert [(r.unit_code, r.year, r.quarter) for r in pf.records][::2] == [
        ("360430", 2024, 1),
        ("360430", 2024, 2),
    ]


def test_rate_columns_as_fraction_percent_or_text(parse) -> None:
    rows = [
        ["县区", "立案率", "办复率", "满意率"],
        ["修水县", 0.515, 98.5, "100%"],
        ["彭泽县", 1, 100, "97.5%"],
    ]
    pf = parse("2024Q1.xlsx", make_xlsx({"S": rows}))
    assert pf.ok, pf.issues
    v = values(pf)
    assert v[("360424", 2024, 1, "registration_rate")] == 51.5  # all ≤ 1 in its column: fractions
    assert v[("360430", 2024, 1, "registration_rate")] == 100
    assert v[("360430", 2024, 1, "reply_rate")] == 100  # a column with 98.5: percentages as written
    assert v[("360424", 2024, 1, "satisfaction_rate")] == 100


# ---- where the period comes from ------------------------------------------------------------


def test_period_from_sheet_name_file_name_and_option(parse) -> None:
    one = [HEADER, ["修水县", 35, 30, 28]]
    assert {r.quarter for r in parse("t.xlsx", make_xlsx({"2024年第二季度": one})).records} == {2}
    assert {r.year for r in parse("统计_2023年度.xlsx", make_xlsx({"S": one})).records} == {2023}
    pf = parse("t.xlsx", make_xlsx({"S": one}), period=(2024, 4))
    assert {(r.year, r.quarter, r.cumulative) for r in pf.records} == {(2024, 4, False)}
    pf = parse("t.xlsx", make_xlsx({"S": one}), period=(2024, 3), cumulative=True)
    assert {(r.year, r.quarter, r.cumulative) for r in pf.records} == {(2024, 3, True)}


def test_period_missing_everywhere_is_one_error(parse) -> None:
    pf = parse("t.xlsx", make_xlsx({"S": [HEADER, ["修水县", 35, 30, 28], ["彭泽县", 2, 1, 1]]}))
    assert not pf.ok and pf.records == []
    assert codes(pf) == ["bad_period", "bad_period"]
    assert pf.issues[0].message == (
        "第2行：无法确定数据所属年度：请在标题或工作表名中写明期间（如“2024年第一季度”），或导入时指定期间"
    )


def test_period_option_conflicting_with_the_sheet(parse) -> None:
    pf = parse("t.xlsx", make_xlsx({"2024Q1": [HEADER, ["修水县", 35, 30, 28]]}), period=(2024, 2))
    assert not pf.ok
    assert messages(pf) == ["第2行：表中期间为2024年第一季度，与导入时指定的2024年第二季度不一致，请核对"]


def test_cumulative_option_conflicting_with_the_title(parse) -> None:
    rows = [["2024年1-6月累计"], HEADER, ["修水县", 35, 30, 28]]
    pf = parse("t.xlsx", make_xlsx({"S": rows}), cumulative=False)
    assert codes(pf) == ["bad_period"]
    assert "与导入时指定的口径不一致" in pf.issues[0].message


def test_year_only_title_is_whole_year_with_a_warning(parse) -> None:
    pf = parse("t.xlsx", make_xlsx({"S": [["2023年履职统计"], HEADER, ["修水县", 35, 30, 28]]}))
    assert pf.ok and {r.quarter for r in pf.records} == {None}
    assert codes(pf) == ["year_only"]


def test_bad_quarter_cell_names_the_column(parse) -> None:
    rows = [["县区", "年度", "季度", "立案"], ["修水县", 2024, "五季度", 3]]
    pf = parse("t.xlsx", make_xlsx({"S": rows}))
    assert [(i.row, i.column, i.code) for i in pf.issues] == [(2, "季度", "bad_period")]
    assert pf.issues[0].message.startswith("第2行“季度”列：季度“五季度”无法识别")


def test_span_not_ending_at_a_quarter_is_refused(parse) -> None:
    pf = parse("t.xlsx", make_xlsx({"S": [["2024年1-8月"], HEADER, ["修水县", 35, 30, 28]]}))
    assert codes(pf) == ["bad_period"]
    assert (
        pf.issues[0].message
        == "第3行：累计期间须截至季度末（如 1-3月、1-6月、1-9月、1-12月），无法对应到季度"
    )


def test_whole_year_sheet_conflicts_with_a_quarter_option(parse) -> None:
    pf = parse("t.xlsx", make_xlsx({"2023年度": [HEADER, ["修水县", 35, 30, 28]]}), period=(2023, 1))
    assert messages(pf) == ["第2行：表中期间为2023年度，与导入时指定的2023年第一季度不一致，请核对"]


def test_form_extra_figure_column_is_listed(parse) -> None:
    rows = [["修水县2024年第一季度"], ["提交提案", 35, 30], ["立案", 30, 28]]
    pf = parse("t.xlsx", make_xlsx({"S": rows}))
    assert values(pf) == {
        ("360424", 2024, 1, "proposals_submitted"): 35,
        ("360424", 2024, 1, "proposals_registered"): 30,
    }
    assert pf.unknown_columns == [("S", "C")] and codes(pf) == ["unknown_column"]


def test_long_table_with_cumulative_value_column(parse) -> None:
    rows = [["2024年第二季度"], ["指标", "本期数", "累计数"], ["立案", 5, 12]]
    pf = parse("t.xlsx", make_xlsx({"修水县": rows}))
    assert [(r.value, r.cumulative) for r in pf.records] == [(5, False)]
    assert pf.unknown_columns == [("修水县", "累计数")]
    rows = [["2024年第二季度"], ["指标", "累计数"], ["立案", 12]]
    pf = parse("t.xlsx", make_xlsx({"修水县": rows}))
    assert [(r.value, r.cumulative) for r in pf.records] == [(12, True)]
